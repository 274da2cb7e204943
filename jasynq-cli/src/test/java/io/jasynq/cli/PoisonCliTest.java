package io.jasynq.cli;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskState;
import io.jasynq.testkit.Poison;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poison suite's reader half: with every kind of hostile record in Redis (and a queue whose own
 * keys are of the wrong type), every read command of {@code jasynq} still answers, with and without
 * {@code --json}, and still shows the valid tasks.
 */
@RedisTest
class PoisonCliTest {
  private static final String Q = "poison";
  private static final String BROKEN = "brokenkeys";

  @TempDir Path home;

  @Test
  void everyReadCommandAnswersWithHostileRecordsInRedis(RedisServer server, TestRedis redis) {
    List<String> valid = new ArrayList<>();
    try (Client client = Client.connect(server.uri())) {
      client
          .enqueueBatch(
              IntStream.range(0, 20).mapToObj(i -> Task.of("cli:valid")).toList(), queue(Q))
          .forEach(r -> valid.add(r.info().id()));
    }
    List<Poison.Record> hostile =
        Poison.into(redis, Instant.now()).seed(Q, 42, Poison.Kind.values().length * 2, valid);
    var c = redis.commands();
    c.sadd("asynq:queues", BROKEN.getBytes(StandardCharsets.UTF_8));
    c.set("asynq:{" + BROKEN + "}:pending", "not a list".getBytes(StandardCharsets.UTF_8));
    c.hset("asynq:{" + BROKEN + "}:archived", "x", "y".getBytes(StandardCharsets.UTF_8));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    c.hset("asynq:{" + BROKEN + "}:processed:" + today, "x", "y".getBytes(StandardCharsets.UTF_8));

    Cli cli = Cli.redis(home, server.uri());
    List<String[]> commands = new ArrayList<>();
    commands.add(new String[] {"stats"});
    commands.add(new String[] {"queue", "ls"});
    for (String q : List.of(Q, BROKEN)) {
      commands.add(new String[] {"queue", "inspect", q});
      commands.add(new String[] {"queue", "history", q});
      commands.add(new String[] {"group", "ls", "--queue", q});
      for (TaskState state : TaskState.values()) {
        if (state != TaskState.AGGREGATING) {
          commands.add(new String[] {"task", "ls", "--queue", q, "--state", state.wireName()});
        }
      }
    }
    for (Poison.Record r : hostile) {
      commands.add(new String[] {"task", "inspect", "--queue", Q, "--id", r.id()});
    }
    commands.add(new String[] {"server", "ls"});
    commands.add(new String[] {"cron", "ls"});

    List<String> failed = new ArrayList<>();
    int answered = 0;
    for (String[] args : commands) {
      for (boolean json : new boolean[] {false, true}) {
        String[] full = args;
        if (json) {
          full = java.util.Arrays.copyOf(args, args.length + 1);
          full[args.length] = "--json";
        }
        Cli.Result r = cli.run(full);
        boolean taskNotFound =
            args[0].equals("task")
                && args[1].equals("inspect")
                && r.code() == 1
                && (r.err().contains("not found") || r.err().contains("cannot find task"));
        if (r.code() != 0 && !taskNotFound) {
          failed.add(String.join(" ", full) + " -> " + r);
        } else {
          answered++;
        }
      }
    }
    System.out.println("POISON cli commands answered=" + answered + " of " + 2 * commands.size());
    assertThat(failed).as("commands that failed").isEmpty();

    Cli.Result pending =
        cli.run("task", "ls", "--queue", Q, "--state", "pending", "--size", "1000");
    for (String id : valid) {
      assertThat(pending.out()).as("valid task listed").contains(id);
    }
    assertThat(cli.run("stats").out()).contains(Q).contains(BROKEN);
  }
}
