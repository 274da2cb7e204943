package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures print one line on stderr and exit non-zero; --debug adds the stack trace. */
class CliErrorsTest {
  @TempDir Path home;

  @Test
  void unknownFlagIsAUsageErrorOnOneLine() {
    Cli.Result r = Cli.in(home).run("task", "ls", "-q", "default", "-s", "pending", "--bogus");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("jasynq: Unknown option: '--bogus'")
        .endsWith("(see 'jasynq task ls --help')");
  }

  @Test
  void missingRequiredFlagAndMissingSubcommandAreUsageErrors() {
    Cli.Result r = Cli.in(home).run("task", "ls", "-s", "pending");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .contains("Missing required option: '--queue=QUEUE'");

    r = Cli.in(home).run("queue");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("jasynq: missing subcommand: ls|inspect|history|pause|unpause|remove|limit");
  }

  @Test
  void badStateIsAUsageErrorNamingTheChoices() {
    Cli.Result r = Cli.in(home).run("task", "runall", "-q", "default", "-s", "pending");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .contains("--state must be one of scheduled|retry|archived|aggregating, was \"pending\"");
    r = Cli.in(home).run("task", "ls", "-q", "default", "-s", "aggregating");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--group is required with --state aggregating");
  }

  @Test
  void unreachableRedisIsOneLineWherEverTheFlagStands() {
    int port = Cli.closedPort();
    for (String[] args :
        new String[][] {
          {"--uri", "127.0.0.1:" + port, "stats"},
          {"stats", "--uri", "127.0.0.1:" + port},
          {"queue", "ls", "-u", "redis://127.0.0.1:" + port + "/3"},
          {"task", "enqueue", "-t", "x", "--uri", "127.0.0.1:" + port}
        }) {
      Cli.Result r = Cli.in(home).run(args);
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err().lines())
          .as(r.toString())
          .singleElement()
          .asString()
          .startsWith("jasynq: cannot connect to redis://127.0.0.1:" + port);
    }
  }

  @Test
  void debugAddsTheStackTrace() {
    int port = Cli.closedPort();
    Cli.Result r = Cli.in(home).run("stats", "--debug", "--uri", "127.0.0.1:" + port);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines().count()).isGreaterThan(3);
    assertThat(r.err()).contains("JasynqException").contains("\tat ");
  }

  @Test
  void redisUrlAndConfigFileAndFlagsTakePrecedenceInThatOrder() {
    int fromFlag = Cli.closedPort();
    int fromEnv = fromFlag == 1 ? 2 : fromFlag - 1;
    int fromFile = fromFlag == 3 ? 4 : fromFlag - 2;
    Cli cli = Cli.in(home);
    cli.write(".asynq.yaml", "# asynq's file\nuri: 127.0.0.1:" + fromFile + "\ndb: 2\n");
    assertThat(cli.run("stats").err()).contains("redis://127.0.0.1:" + fromFile + "/2");
    cli.env("REDIS_URL", "redis://127.0.0.1:" + fromEnv);
    assertThat(cli.run("stats").err()).contains("redis://127.0.0.1:" + fromEnv + "/2");
    assertThat(cli.run("stats", "-u", "127.0.0.1:" + fromFlag, "-n", "5").err())
        .contains("redis://127.0.0.1:" + fromFlag + "/5");
    // ~/.jasynq.yaml wins over ~/.asynq.yaml.
    cli.write(".jasynq.yaml", "uri: 127.0.0.1:" + fromFile + "\ndb: 3\n");
    cli.env("REDIS_URL", "");
    assertThat(cli.run("stats").err()).contains("redis://127.0.0.1:" + fromFile + "/3");
    // An explicit --config replaces the default file.
    Path other = cli.write("other.yaml", "uri: \"127.0.0.1:" + fromFile + "\"\n");
    cli.env("REDIS_URL", "");
    assertThat(cli.run("stats", "--config", other.toString()).err())
        .contains("redis://127.0.0.1:" + fromFile + "/0");
  }

  @Test
  void badConfigFileNamesTheLine() {
    Cli cli = Cli.in(home);
    Path file = cli.write("bad.yaml", "uri: 127.0.0.1:1\nurl: oops\n");
    Cli.Result r = cli.run("stats", "--config", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("jasynq: config file " + file + " line 2: unknown key \"url\"");
    r = cli.run("stats", "--config", home.resolve("missing.yaml").toString());
    assertThat(r.err()).contains("does not exist");
  }

  @Test
  void badClusterFlagsAreExplainedAndAnUnreachableClusterIsOneLine() {
    Cli.Result r = Cli.in(home).run("stats", "--cluster", "127.0.0.1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "jasynq: --cluster_addrs address \"127.0.0.1\" must be HOST:PORT"
                + " (see 'jasynq stats --help')\n");
    r = Cli.in(home).run("stats", "--cluster", "a:1", "--sentinel", "m@b:2");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("give either --cluster or --sentinel, not both");
    int port = Cli.closedPort();
    r = Cli.in(home).run("queue", "ls", "--cluster", "127.0.0.1:" + port);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).as(r.toString()).singleElement().asString().startsWith("jasynq: ");
  }

  @Test
  void badSentinelAndTlsCaFlagsAreExplained() {
    Cli.Result r = Cli.in(home).run("stats", "--sentinel", "127.0.0.1:26379");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--sentinel must be MASTER@HOST:PORT[,HOST:PORT...]");
    Path missing = home.resolve("missing-ca.crt");
    r = Cli.in(home).run("stats", "--uri", "redis.local:6380", "--tls_ca", missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--tls_ca file " + missing + " does not exist");
  }

  @Test
  void versionAndHelp() {
    Cli.Result r = Cli.in(home).run("version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("jasynq ");
    r = Cli.in(home).run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("stats", "queue", "task", "group", "server", "cron", "--uri", "--sentinel");
  }
}
