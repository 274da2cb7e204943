package io.jasynq.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless system Chromium per test class, driven by the system chromedriver (so Selenium
 * Manager never downloads anything), with a fresh profile folder; closed, and the folder deleted,
 * after the class. Register as a static {@code @RegisterExtension} field. When {@code
 * /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing the class is skipped, unless the
 * browser tests are required ({@code -Djasynq.browser.required=true}, or environment {@code
 * JASYNQ_BROWSER_REQUIRED=true}), in which case it fails.
 */
final class Browser implements BeforeAllCallback, AfterAllCallback {
  static final Path CHROMIUM =
      Path.of(System.getProperty("jasynq.browser.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("jasynq.browser.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(15);

  private ChromeDriverService service;
  private ChromeDriver driver;
  private Path profile;

  /** Whether a missing browser fails the tests instead of skipping them. */
  static boolean required() {
    return Boolean.getBoolean("jasynq.browser.required")
        || "true".equalsIgnoreCase(System.getenv("JASYNQ_BROWSER_REQUIRED"));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String missing =
        "browser tests need "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (Debian: apt-get install chromium chromium-driver)";
    if (!present) {
      if (required()) {
        throw new AssertionError(missing + "; they are required (jasynq.browser.required)");
      }
      Assumptions.abort(missing + "; skipped");
    }
    profile = Files.createTempDirectory("jasynq-chromium-");
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(profile.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--disable-default-apps",
        "--force-color-profile=srgb",
        "--hide-scrollbars",
        "--window-size=1440,1000",
        "--user-data-dir=" + profile.resolve("profile"));
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      delete(profile);
      throw e;
    }
    driver.manage().timeouts().scriptTimeout(WAIT);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (service != null) {
        service.stop();
      }
      if (profile != null) {
        delete(profile);
      }
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  /** A wait of up to 15 s that retries on stale elements. */
  WebDriverWait waiting() {
    // Live re-rendering replaces elements: a stale one is retried, not a failure.
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** Opens {@code url} and waits until the page has loaded its config and first view. */
  void open(String url) {
    driver.get(url);
    waiting().until(d -> "true".equals(js("return document.documentElement.dataset.ready || ''")));
  }

  /**
   * Opens {@code url} with live refresh off and the light theme (so views and screenshots hold
   * still): the settings are stored in the page's {@code localStorage}, then the page is loaded
   * again to read them.
   */
  void openQuiet(String url) {
    open(url);
    js(
        "localStorage.setItem('jasynq.refresh', '0'); localStorage.setItem('jasynq.theme', 'light')");
    open(url);
  }

  /**
   * Closes each non-null resource in the order given (the reverse of creation), all of them even
   * when one throws; the first failure is rethrown with the others suppressed.
   */
  static void closeAll(AutoCloseable... resources) {
    Exception first = null;
    for (AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof RuntimeException re) {
      throw re;
    }
    if (first != null) {
      throw new IllegalStateException("closing the fixture failed", first);
    }
  }

  /** Navigates to a hash route of the current page. */
  void route(String hash) {
    js("location.hash = arguments[0]", hash);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** The visible element with {@code data-test=test} (waits for it). */
  WebElement el(String test) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by(test)));
  }

  /**
   * Clicks the visible element with {@code data-test=test}, looking it up again when a live
   * re-render replaced it between the lookup and the click, or a notice covered it.
   */
  void click(String test) {
    clickFound(d -> el(test));
  }

  /**
   * Clicks the element {@code find} looks up, again (looked up again) while a live re-render
   * replaced it or a notice covers it: notices stack at the bottom right for a few seconds, and a
   * click on an element below one is refused.
   */
  void clickFound(Function<WebDriver, WebElement> find) {
    waiting()
        .ignoring(ElementClickInterceptedException.class)
        .until(
            d -> {
              try {
                find.apply(d).click();
                return true;
              } catch (StaleElementReferenceException e) {
                return false;
              }
            });
  }

  List<WebElement> all(String test) {
    return driver.findElements(by(test));
  }

  static By by(String test) {
    return By.cssSelector("[data-test=\"" + test + "\"]");
  }

  /** Waits until {@code data-test=test}'s text contains {@code text}. */
  void waitText(String test, String text) {
    waiting().until(ExpectedConditions.textToBePresentInElementLocated(by(test), text));
  }

  /** Saves a PNG of the viewport as target/screenshots/{name}.png. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      assertThat(Files.size(file)).isPositive();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // A leftover temp folder is not worth failing a test for.
    }
  }
}
