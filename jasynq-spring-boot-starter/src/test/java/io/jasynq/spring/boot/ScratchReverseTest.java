package io.jasynq.spring.boot;

import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

class ScratchReverseTest {
  @Test
  void explore() throws Exception {
    var redis = io.jasynq.testkit.RedisServer.start();
    try {
      var before = Leaks.jasynqThreads();
      try (LogCapture logs = LogCapture.start()) {
        var context =
            Apps.run(
                JasynqShutdownTest.LoadApp.class,
                "spring.data.redis.host=" + redis.host(),
                "spring.data.redis.port=" + redis.port(),
                "jasynq.server.shutdown-timeout=1s",
                "test.block-every=1",
                "jasynq.server.concurrency=10",
                "jasynq.periodic.hourly.cron=@every 1h",
                "jasynq.periodic.hourly.type=hourly");
        var load = context.getBean(JasynqShutdownTest.Load.class);
        for (int i = 0; i < 20; i++)
          context
              .getBean(io.jasynq.Client.class)
              .enqueue(io.jasynq.Task.of("load", Integer.toString(i)));
        Eventually.until("10 blocked", () -> load.blocked.size() == 10);
        context.getBean(LettuceConnectionFactory.class).destroy();
        context.getBean(ClientResources.class).shutdown(0, 2, TimeUnit.SECONDS).get();
        System.out.println("SCRATCH resources down");
        Thread.sleep(4000);
        System.out.println("SCRATCH closing; warnings so far: " + logs.warningsAndErrors());
        long t = System.nanoTime();
        context.close();
        System.out.println("SCRATCH closed in " + (System.nanoTime() - t) / 1_000_000 + " ms");
        Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
        System.out.println("SCRATCH all warnings: " + String.join("\n", logs.warningsAndErrors()));
      }
    } finally {
      redis.close();
    }
  }
}
