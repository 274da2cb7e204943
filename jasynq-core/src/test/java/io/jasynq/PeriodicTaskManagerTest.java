package io.jasynq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.internal.broker.proto.SchedulerEntry;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The manager keeps the scheduler's entries equal to the provider's configs (wire-format §7.3). */
@RedisTest
class PeriodicTaskManagerTest {
  private final RedisServer server;
  private final TestRedis redis;
  private final FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");

  PeriodicTaskManagerTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  private static final PeriodicTaskConfig EMAILS =
      PeriodicTaskConfig.of("*/5 * * * *", Task.of("email:digest", "{}"), TaskOption.queue("low"));
  private static final PeriodicTaskConfig REPORT =
      PeriodicTaskConfig.of("0 9 * * MON-FRI", Task.of("report:daily"));
  private static final PeriodicTaskConfig CLEANUP =
      PeriodicTaskConfig.of("@every 1h", Task.of("cleanup"), TaskOption.maxRetry(1));

  private PeriodicTaskManager manager(AtomicReference<Object> configs) {
    return PeriodicTaskManager.builder(
            () -> {
              Object c = configs.get();
              if (c instanceof Exception e) {
                throw e;
              }
              @SuppressWarnings("unchecked")
              List<PeriodicTaskConfig> list = (List<PeriodicTaskConfig>) c;
              return list;
            })
        .uri(server.uri())
        .schedulerConfig(SchedulerConfig.builder().clock(clock).build())
        .syncInterval(Duration.ofHours(1)) // the test runs each sync itself
        .build();
  }

  private List<String> entryIdsInRedis(Scheduler s) throws Exception {
    List<String> ids = new ArrayList<>();
    for (byte[] b : redis.commands().lrange("asynq:schedulers:{" + s.schedulerId() + "}", 0, -1)) {
      ids.add(SchedulerEntry.parseFrom(b).getId());
    }
    return ids;
  }

  @Test
  void syncAddsNewConfigsRemovesGoneOnesAndKeepsUnchangedOnes() throws Exception {
    AtomicReference<Object> configs = new AtomicReference<>(List.of(EMAILS, REPORT));
    try (PeriodicTaskManager m = manager(configs)) {
      m.start();
      Map<String, String> before = m.entriesByHash();
      assertThat(before).hasSize(2);
      String emailsId = m.scheduler().entryIds().get(0);

      // Equal configs built anew are the same entries: nothing changes.
      configs.set(
          List.of(
              PeriodicTaskConfig.of(
                  "*/5 * * * *", Task.of("email:digest", "{}"), TaskOption.queue("low")),
              REPORT));
      assertThat(m.syncOnce()).isZero();
      assertThat(m.entriesByHash()).isEqualTo(before);

      configs.set(List.of(EMAILS, CLEANUP, CLEANUP)); // REPORT goes, CLEANUP comes (once)
      assertThat(m.syncOnce()).isEqualTo(2);
      List<String> ids = m.scheduler().entryIds();
      assertThat(ids).hasSize(2).startsWith(emailsId); // unchanged: same ID, same history
      assertThat(ids).doesNotContain(before.get(ConfigSyncHash.of(REPORT)));

      // The scheduler's own heartbeat thread may still be writing a snapshot taken before the
      // sync; beating again until Redis shows the new entries waits that write out.
      Eventually.until(
          "the synced entries written",
          () -> {
            m.scheduler().beat(clock.now());
            try {
              return new java.util.HashSet<>(entryIdsInRedis(m.scheduler()))
                  .equals(new java.util.HashSet<>(ids));
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
      assertThat(entryIdsInRedis(m.scheduler())).hasSameElementsAs(ids);

      // A change of payload, options or headers is a new entry.
      configs.set(
          List.of(
              PeriodicTaskConfig.of(
                  "*/5 * * * *", Task.of("email:digest", "{}"), TaskOption.queue("high")),
              CLEANUP));
      assertThat(m.syncOnce()).isEqualTo(2);
      assertThat(m.scheduler().entryIds()).doesNotContain(emailsId);
    }
  }

  @Test
  void invalidConfigsFailStartAndSkipASyncRound() {
    AtomicReference<Object> configs = new AtomicReference<>(new Exception("database down"));
    try (PeriodicTaskManager m = manager(configs)) {
      assertThatThrownBy(m::start)
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("database down");
      configs.set(Arrays.asList(EMAILS, null));
      assertThatThrownBy(m::start)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("periodic task config at index 1 is null");

      // A config whose spec does not parse is skipped; the others are registered.
      configs.set(List.of(EMAILS, PeriodicTaskConfig.of("61 * * * *", Task.of("bad"))));
      m.start();
      assertThat(m.scheduler().entryIds()).hasSize(1);

      configs.set(new IllegalStateException("provider broke"));
      assertThat(m.syncOnce()).isEqualTo(-1); // round skipped: entries kept
      configs.set(Arrays.asList(REPORT, null));
      assertThat(m.syncOnce()).isEqualTo(-1);
      assertThat(m.scheduler().entryIds()).hasSize(1);
    }
    assertThatThrownBy(() -> PeriodicTaskConfig.of(" ", Task.of("t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cronSpec must not be blank, was \" \"");
  }

  @Test
  void closeStopsTheSyncAndTheSchedulerButNotABorrowedConnector() {
    try (RedisConnector connector = RedisConnector.create(server.uri())) {
      PeriodicTaskManager m =
          PeriodicTaskManager.builder(() -> List.of(EMAILS))
              .connector(connector)
              .syncInterval(Duration.ofSeconds(1))
              .build();
      m.start();
      assertThatThrownBy(m::start).isInstanceOf(IllegalStateException.class);
      m.close();
      m.close();
      assertThat(m.isClosed()).isTrue();
      assertThat(m.scheduler().isClosed()).isTrue();
      try (Client client = Client.create(connector)) {
        client.ping();
      }
    }
  }

  /** The manager's hash of a config, for lookups in the test. */
  private static final class ConfigSyncHash {
    static String of(PeriodicTaskConfig c) {
      return io.jasynq.internal.scheduler.ConfigSync.hash(c);
    }
  }
}
