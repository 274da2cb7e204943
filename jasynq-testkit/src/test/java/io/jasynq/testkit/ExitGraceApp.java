package io.jasynq.testkit;

import io.jasynq.embedded.Resp;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child-JVM fixture for {@link ExitGraceTest}: an "app" on two throwaway servers, one with an
 * exit grace and one without, whose own shutdown hook takes a while (as closing a context does),
 * reports which server still answers, then closes the graced one. Prints {@code key=value} lines on
 * stdout.
 */
final class ExitGraceApp {
  private ExitGraceApp() {}

  public static void main(String[] args) throws InterruptedException {
    RedisServer graced = RedisServer.builder().exitGrace(Duration.ofSeconds(10)).start();
    RedisServer ungraced = RedisServer.start();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> closeLikeAnApp(graced, ungraced), "exit-grace-app"));
    System.out.println("graced-pid=" + graced.pid());
    System.out.println("ungraced-pid=" + ungraced.pid());
    System.out.println("ready");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static void closeLikeAnApp(RedisServer graced, RedisServer ungraced) {
    try {
      // Simulates an app's context taking a while to close; nothing ever trips this latch.
      new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.println("graced-alive=" + answersPing(graced.port()));
    System.out.println("ungraced-alive=" + answersPing(ungraced.port()));
    System.out.flush();
    graced.close();
    System.out.println("graced-closed");
    System.out.flush();
  }

  private static boolean answersPing(int port) {
    try (Resp resp = Resp.connect(port, Duration.ofSeconds(1))) {
      return "PONG".equals(resp.call("PING"));
    } catch (IOException e) {
      return false;
    }
  }
}
