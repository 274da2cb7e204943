package io.jasynq.dashboard.browser;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.dashboard.Dashboard;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.RedisCluster;
import io.jasynq.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The page on a Redis Cluster (three masters, one replica each): two queues on different masters;
 * the Redis view shows the cluster, its masters and where each queue lives; a queue page lists its
 * tasks.
 */
@Tag("topology")
class ClusterPageTest {
  @RegisterExtension static final Browser browser = new Browser();

  private static RedisCluster cluster;
  private static RedisConnector connector;
  private static Dashboard dashboard;
  private static Jetty jetty;
  private static final List<String> queues = new ArrayList<>();
  private static final List<RedisServer> homes = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = RedisCluster.start();
    // Two queue names whose keys live on two different masters.
    for (int i = 0; queues.size() < 2; i++) {
      String q = "q" + i;
      RedisServer home = cluster.masterFor("asynq:{" + q + "}:pending");
      if (!homes.contains(home)) {
        queues.add(q);
        homes.add(home);
      }
    }
    RedisServer seed = cluster.nodes().get(0);
    connector = RedisConnector.builder().clusterNode(RedisServer.HOST, seed.port()).build();
    try (Client client = Client.create(connector)) {
      for (String q : queues) {
        for (int n = 0; n < 3; n++) {
          client.enqueue(Task.of("job:" + q, "{\"n\":" + n + "}"), queue(q), taskId(q + "-" + n));
        }
      }
    }
    dashboard = Dashboard.builder().connector(connector).build();
    jetty = Jetty.start(dashboard);
  }

  @AfterAll
  static void stop() {
    Browser.closeAll(jetty, dashboard, connector, cluster);
  }

  @Test
  void redisViewShowsMastersAndWhereEachQueueLivesAndAQueueListsItsTasks() {
    browser.openQuiet(jetty.url("/"));
    browser.route("#/redis");
    browser.el("cluster");
    WebElement masters = browser.el("cluster-masters");
    List<String> masterRows =
        masters.findElements(By.cssSelector("tbody tr")).stream().map(WebElement::getText).toList();
    assertThat(masterRows).hasSize(3);
    for (RedisServer m : cluster.masters()) {
      assertThat(masters.getText()).contains(RedisServer.HOST + ":" + m.port());
    }
    assertThat(browser.el("redis-stats").getText()).contains("cluster");
    WebElement locations = browser.el("queue-locations");
    for (int i = 0; i < queues.size(); i++) {
      String q = queues.get(i);
      WebElement row =
          locations.findElements(By.cssSelector("tbody tr")).stream()
              .filter(r -> r.findElements(By.tagName("td")).get(0).getText().equals(q))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no location row for " + q));
      List<WebElement> cells = row.findElements(By.tagName("td"));
      assertThat(cells.get(1).getText())
          .isEqualTo(String.valueOf(io.lettuce.core.cluster.SlotHash.getSlot("{" + q + "}")));
      assertThat(cells.get(2).getText()).contains(RedisServer.HOST + ":" + homes.get(i).port());
    }
    browser.screenshot("redis-cluster");

    String q = queues.get(1);
    browser.route("#/queues/" + q + "/pending");
    browser.waiting().until(d -> browser.all("task-row").size() == 3);
    assertThat(browser.el("tasks-table").getText()).contains(q + "-0", q + "-2", "job:" + q);
    browser.screenshot("queue-cluster");
  }
}
