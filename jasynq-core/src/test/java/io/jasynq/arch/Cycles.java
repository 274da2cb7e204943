package io.jasynq.arch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The cycles of a directed graph: its strongly connected components of two or more nodes. */
final class Cycles {
  private final Map<String, Set<String>> edges;
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, Integer> low = new HashMap<>();
  private final Deque<String> stack = new ArrayDeque<>();
  private final Set<String> onStack = new HashSet<>();
  private final List<List<String>> found = new ArrayList<>();

  private Cycles(Map<String, Set<String>> edges) {
    this.edges = edges;
  }

  /** Tarjan's algorithm; each component is listed in the order the search closed it. */
  static List<List<String>> of(Map<String, Set<String>> edges) {
    Cycles c = new Cycles(edges);
    for (String node : edges.keySet()) {
      if (!c.index.containsKey(node)) {
        c.visit(node);
      }
    }
    return c.found;
  }

  private void visit(String v) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        visit(w);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}
