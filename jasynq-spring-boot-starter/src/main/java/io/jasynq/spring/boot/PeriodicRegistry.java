package io.jasynq.spring.boot;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Collects the {@link Periodic} annotations of an application context as its beans are initialised,
 * each with the pattern of the {@link TaskHandler} it sits on. Complete once every singleton
 * exists, before any {@code SmartLifecycle} starts. Shared: guarded by {@code this}.
 */
final class PeriodicRegistry implements BeanPostProcessor {
  /** An annotated entry and the pattern of its handler, to check the route at start. */
  record Declared(PeriodicEntry entry, String pattern) {}

  private final List<Declared> declared = new ArrayList<>(); // guarded by this

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    String name = ClassUtils.getShortName(type);
    collect(type, name);
    MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<Set<Periodic>>)
                m -> {
                  Set<Periodic> found = periodic(m);
                  return found.isEmpty() ? null : found;
                })
        .keySet()
        .forEach(m -> collect(m, name + "." + m.getName() + "()"));
    return bean;
  }

  private void collect(AnnotatedElement element, String source) {
    Set<Periodic> annotations = periodic(element);
    if (annotations.isEmpty()) {
      return;
    }
    TaskHandler handler = AnnotatedElementUtils.findMergedAnnotation(element, TaskHandler.class);
    if (handler == null) {
      throw new IllegalStateException(
          "@Periodic on " + source + " needs @TaskHandler on the same " + kind(element));
    }
    for (Periodic p : annotations) {
      add(entry(p, handler.value(), "@Periodic on " + source), handler.value());
    }
  }

  private static PeriodicEntry entry(Periodic p, String pattern, String source) {
    String type = p.type();
    if (type.isBlank()) {
      if (pattern.endsWith(":")) {
        throw new IllegalStateException(
            source
                + ": handler pattern \""
                + pattern
                + "\" is a prefix, not a task type; set @Periodic(type = ...)");
      }
      type = pattern;
    }
    return new PeriodicEntry(source, p.cron(), type, p.payload(), p.queue(), p.zone());
  }

  private static Set<Periodic> periodic(AnnotatedElement element) {
    return AnnotatedElementUtils.findMergedRepeatableAnnotations(element, Periodic.class);
  }

  private static String kind(AnnotatedElement element) {
    return element instanceof Method ? "method" : "class";
  }

  private synchronized void add(PeriodicEntry entry, String pattern) {
    declared.add(new Declared(entry, pattern));
  }

  /** The annotated entries found so far, in discovery order. */
  synchronized List<Declared> declared() {
    return List.copyOf(declared);
  }

  /**
   * Checks that each annotated entry's type is served by its own handler: the type starts with the
   * handler's pattern and no longer pattern takes it.
   *
   * @param patterns every route of the context, pattern → where it was declared
   * @throws IllegalStateException naming the annotation, the type and the handler that takes it
   */
  static void checkRoutes(List<Declared> entries, Map<String, String> patterns) {
    for (Declared d : entries) {
      String type = d.entry().type();
      String taker = null;
      for (String p : patterns.keySet()) {
        if (type.startsWith(p) && (taker == null || p.length() > taker.length())) {
          taker = p;
        }
      }
      if (!d.pattern().equals(taker)) {
        throw new IllegalStateException(
            d.entry().source()
                + ": task type \""
                + type
                + "\" is not served by this handler (pattern \""
                + d.pattern()
                + "\") but by "
                + (taker == null ? "no handler" : "pattern \"" + taker + "\""));
      }
    }
  }
}
