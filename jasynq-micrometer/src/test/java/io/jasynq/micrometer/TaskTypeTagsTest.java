package io.jasynq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskTypeTagsTest {
  @Test
  void capKeepsTheFirstTypesSeenAndMapsLaterOnesToOther() {
    TaskTypeTags tags = TaskTypeTags.cap(2);
    assertThat(tags.tagValue("a")).isEqualTo("a");
    assertThat(tags.tagValue("b")).isEqualTo("b");
    assertThat(tags.tagValue("c")).isEqualTo(TaskTypeTags.OTHER);
    assertThat(tags.tagValue("a")).isEqualTo("a");
    assertThat(tags.tagValue("b")).isEqualTo("b");
  }

  @Test
  void capKeepsExactlyMaxTypesUnderConcurrency() throws Exception {
    TaskTypeTags tags = TaskTypeTags.cap(50);
    Set<String> kept = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int t = 0; t < 4; t++) {
        pool.execute(
            () -> {
              try {
                go.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              for (int i = 0; i < 1000; i++) {
                String type = "type-" + i;
                String value = tags.tagValue(type);
                if (!value.equals(TaskTypeTags.OTHER)) {
                  assertThat(value).isEqualTo(type);
                  kept.add(value);
                }
              }
            });
      }
      go.countDown();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(kept).hasSize(50);
    for (String type : kept) {
      assertThat(tags.tagValue(type)).isEqualTo(type); // a kept type stays kept
    }
  }

  @Test
  void allowKeepsOnlyListedTypes() {
    TaskTypeTags tags = TaskTypeTags.allow(Set.of("email", "pdf"));
    assertThat(tags.tagValue("email")).isEqualTo("email");
    assertThat(tags.tagValue("pdf")).isEqualTo("pdf");
    assertThat(tags.tagValue("sms")).isEqualTo(TaskTypeTags.OTHER);
  }

  @Test
  void noneMapsEveryTypeToOther() {
    assertThat(TaskTypeTags.none().tagValue("email")).isEqualTo(TaskTypeTags.OTHER);
  }

  @Test
  void everyPolicyMapsAnEmptyTypeToUnknown() {
    for (TaskTypeTags tags :
        new TaskTypeTags[] {
          TaskTypeTags.cap(10), TaskTypeTags.allow(Set.of("")), TaskTypeTags.none()
        }) {
      assertThat(tags.tagValue("")).as(tags.toString()).isEqualTo(TaskTypeTags.UNKNOWN);
      assertThat(tags.tagValue(null)).as(tags.toString()).isEqualTo(TaskTypeTags.UNKNOWN);
    }
  }

  @Test
  void capZeroKeepsNothing() {
    assertThat(TaskTypeTags.cap(0).tagValue("a")).isEqualTo(TaskTypeTags.OTHER);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> TaskTypeTags.cap(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must be >= 0, was -1");
    assertThatThrownBy(() -> TaskTypeTags.allow(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("types == null");
  }
}
