package io.jasynq.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package edges of {@code docs/architecture.md}, checked on jasynq-core's compiled classes.
 *
 * <p>The public package {@code io.jasynq} holds the entry points (Client, Server, Inspector,
 * Scheduler, PeriodicTaskManager) and the values and interfaces they exchange. Internal packages
 * use the values and interfaces, never an entry point, so no chain of dependencies leads from an
 * internal class back to the class that created it; among themselves the internal packages and
 * {@code io.jasynq.redis} form no cycle.
 */
class PackageEdgesTest {
  private static final String[] ENTRY_POINTS = {
    "io.jasynq.Client",
    "io.jasynq.Server",
    "io.jasynq.Inspector",
    "io.jasynq.Scheduler",
    "io.jasynq.PeriodicTaskManager",
    "io.jasynq.BrokerHandle",
    "io.jasynq.EnqueuePlan",
  };

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));
  }

  @Test
  void packagesBelowThePublicOneFormNoCycle() {
    slices().matching("io.jasynq.(**)").should().beFreeOfCycles().check(core);
  }

  @Test
  void internalCodeNeverDependsOnAnEntryPointOrTheConnectorHandle() {
    noClasses()
        .that()
        .resideInAnyPackage("io.jasynq.internal..")
        .should()
        .dependOnClassesThat()
        .haveNameMatching(
            Arrays.stream(ENTRY_POINTS).map(Pattern::quote).collect(Collectors.joining("|")))
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.jasynq.redis..")
        .check(core);
  }

  /**
   * The public package and the packages below it depend on each other (entry points create the
   * internals, internals use the public values), so cycles are looked for between classes: no chain
   * of dependencies between top-level classes leaves a package and comes back to it.
   */
  @Test
  void noDependencyCycleCrossesAPackageBoundary() {
    Map<String, Set<String>> edges = new TreeMap<>();
    for (JavaClass c : core) {
      String from = topLevel(c);
      Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String target = topLevel(d.getTargetClass());
        if (target.startsWith("io.jasynq.") && !target.equals(from)) {
          to.add(target);
        }
      }
    }
    List<String> crossing = new ArrayList<>();
    for (List<String> cycle : Cycles.of(edges)) {
      if (cycle.stream().map(PackageEdgesTest::packageOf).distinct().count() > 1) {
        crossing.add(String.join(" -> ", cycle));
      }
    }
    assertThat(crossing).as("class cycles spanning packages").isEmpty();
  }

  private static String topLevel(JavaClass c) {
    String name = c.getName();
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  @Test
  void connectionsKnowNothingOfQueues() {
    noClasses()
        .that()
        .resideInAPackage("io.jasynq.internal.connection..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jasynq.internal.broker..",
            "io.jasynq.internal.enqueue..",
            "io.jasynq.internal.server..",
            "io.jasynq.internal.scheduler..",
            "io.jasynq.internal.runtime..")
        .check(core);
  }

  @Test
  void theBrokerKnowsNothingOfWhoCallsIt() {
    noClasses()
        .that()
        .resideInAPackage("io.jasynq.internal.broker..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jasynq.internal.enqueue..",
            "io.jasynq.internal.server..",
            "io.jasynq.internal.scheduler..",
            "io.jasynq.internal.runtime..")
        .check(core);
  }

  @Test
  void enqueueRulesDoNoInputOrOutput() {
    noClasses()
        .that()
        .resideInAPackage("io.jasynq.internal.enqueue..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jasynq.internal.connection..",
            "io.jasynq.internal.server..",
            "io.jasynq.internal.scheduler..",
            "io.jasynq.internal.runtime..",
            "io.lettuce..")
        .check(core);
  }

  @Test
  void serverAndSchedulerShareOnlyTheRuntimePackage() {
    noClasses()
        .that()
        .resideInAPackage("io.jasynq.internal.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.jasynq.internal.scheduler..")
        .check(core);
    noClasses()
        .that()
        .resideInAPackage("io.jasynq.internal.scheduler..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.jasynq.internal.server..")
        .check(core);
    noClasses()
        .that()
        .resideInAPackage("io.jasynq.internal.runtime..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.jasynq.internal.server..",
            "io.jasynq.internal.scheduler..",
            "io.jasynq.internal.broker..",
            "io.jasynq.internal.connection..")
        .check(core);
  }

  @Test
  void onlyTheBrokerTheConnectionsAndTheConnectorUseLettuce() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.jasynq.internal.broker..", "io.jasynq.internal.connection..", "io.jasynq.redis..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lettuce..")
        .check(core);
  }
}
