package io.jasynq.lifecycle;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.lifecycle.LifecycleCases.Caller;
import io.jasynq.lifecycle.LifecycleCases.Subject;
import io.jasynq.lifecycle.LifecycleCases.Type;
import io.jasynq.lifecycle.LifecycleCases.Wiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for lifecycle tests. Prints what it did on stdout; anything on stderr fails the test.
 *
 * <ul>
 *   <li>{@code hooks <uri> <wiring>}: opens every {@link Type} as {@code wiring} says, uses each,
 *       registers one shutdown hook per object and one for the caller's own objects (hooks run
 *       concurrently, so the caller's may go first), then calls {@code System.exit(0)}.
 *   <li>{@code close <uri>} and {@code forget <uri>}: an owned Client and Server process tasks;
 *       then both are closed ({@code close}) or not ({@code forget}) and main returns; the JVM must
 *       exit by itself.
 * </ul>
 */
public final class LifecycleChild {
  private static final int TASKS = 20;

  private LifecycleChild() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "hooks" -> hooks(args[1], Wiring.valueOf(args[2]));
      case "close" -> processAndReturn(args[1], true);
      case "forget" -> processAndReturn(args[1], false);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void hooks(String uri, Wiring wiring) {
    Caller caller = wiring.wire(uri);
    for (Type type : Type.values()) {
      Subject subject = type.open(caller.wired());
      subject.use();
      hook(
          "hook-" + type,
          () -> {
            subject.close();
            subject.assertClosed();
            System.out.println("closed " + type);
          });
    }
    hook(
        "hook-caller",
        () -> {
          caller.close();
          System.out.println("caller closed");
        });
    System.out.println("exiting");
    System.exit(0);
  }

  private static void hook(String name, LifecycleCases.Action action) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    action.run();
                  } catch (Throwable e) {
                    e.printStackTrace(); // on stderr: fails the test
                  }
                },
                name));
  }

  private static void processAndReturn(String uri, boolean close) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(TASKS);
    Client client = Client.connect(uri);
    Server server =
        Server.connect(
            uri,
            ServerConfig.builder()
                .taskCheckInterval(Duration.ofMillis(20))
                .heartbeatInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(2))
                .build());
    server.start(ctx -> done.countDown());
    for (int i = 0; i < TASKS; i++) {
      client.enqueue(Task.of("child", "task-" + i));
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      System.err.println("only " + (TASKS - done.getCount()) + " of " + TASKS + " processed");
    }
    System.out.println("processed " + (TASKS - done.getCount()));
    if (close) {
      server.close();
      client.close();
      System.out.println("closed");
    }
    // Netty's globalEventExecutor is a non-daemon thread that ends after a second without work:
    // allow such threads a few seconds; one still there then would keep the JVM alive.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<String> nonDaemon = nonDaemonThreads();
    while (!nonDaemon.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      nonDaemon = nonDaemonThreads();
    }
    nonDaemon.forEach(name -> System.out.println("non-daemon thread: " + name));
    System.out.println("returning from main at " + System.currentTimeMillis());
  }

  private static List<String> nonDaemonThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()
          && !t.isDaemon()
          && t != Thread.currentThread()
          && !"DestroyJavaVM".equals(t.getName())) {
        names.add(t.getName());
      }
    }
    return names;
  }
}
