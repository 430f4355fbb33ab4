package com.cdp.local.iam;

import com.cdp.local.iam.IamPolicies.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the front door saw: every (role, action, resource) it allowed, for the least-privilege
 * report, and every denial with its count. A denial is logged once, as a warning naming the
 * function, the action and the resource (never keys, tokens or signatures); repeats are counted.
 */
public final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  /** An allowed call's grant-relevant facts. */
  public record Use(String role, String action, String resource) {}

  /** A denied call: who, what, on what, how often, and the message it got. */
  public record Denial(
      String role, String function, String action, String resource, long count, String message) {}

  /** A grant (one action pattern on one resource pattern of an Allow statement) nothing used. */
  public record UnusedGrant(String role, String action, String resource, String source) {}

  private final Set<Use> used = ConcurrentHashMap.newKeySet();
  private final Map<List<String>, AtomicLong> denials = new ConcurrentHashMap<>();
  private final Map<List<String>, String> messages = new ConcurrentHashMap<>();
  private final AtomicLong denied = new AtomicLong();

  void allowed(String role, String action, String resource) {
    if (used.add(new Use(role, action, resource))) {
      version.incrementAndGet();
    }
  }

  void denied(
      String role,
      String function,
      String action,
      String resource,
      String message,
      boolean enforced) {
    denied.incrementAndGet();
    version.incrementAndGet();
    List<String> key = List.of(role, function, action, resource);
    AtomicLong count = denials.computeIfAbsent(key, k -> new AtomicLong());
    if (count.getAndIncrement() == 0) {
      messages.put(key, message);
      LOG.warn(
          "IAM {}: function {} (role {}) may not {} on {}",
          enforced ? "denied" : "would deny (soft mode)",
          function,
          role,
          action,
          resource);
    }
  }

  private final java.util.concurrent.atomic.AtomicLong version =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile long written = -1;

  /**
   * Writes {@code denials.json} and {@code usage.json} into the directory (atomically, so a command
   * reading them while the platform runs never sees half a file), if anything changed.
   */
  public synchronized void writeTo(java.nio.file.Path dir) {
    long now = version.get();
    if (now == written) {
      return;
    }
    try {
      java.nio.file.Files.createDirectories(dir);
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      List<Use> uses = new ArrayList<>(used);
      uses.sort(
          Comparator.comparing(Use::role).thenComparing(Use::action).thenComparing(Use::resource));
      write(
          dir.resolve("denials.json"),
          mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(denials()));
      write(
          dir.resolve("usage.json"),
          mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(uses));
      written = now;
    } catch (java.io.IOException e) {
      LOG.warn("cannot write the IAM access log to {}: {}", dir, e.getMessage());
    }
  }

  private static void write(java.nio.file.Path file, byte[] bytes) throws java.io.IOException {
    java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    java.nio.file.Files.write(tmp, bytes);
    java.nio.file.Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads what {@link #writeTo} wrote: the recorded uses. */
  public static Set<Use> readUsage(java.nio.file.Path dir) throws java.io.IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    java.nio.file.Path file = dir.resolve("usage.json");
    if (!java.nio.file.Files.exists(file)) {
      return Set.of();
    }
    return Set.copyOf(
        mapper.readValue(
            file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<List<Use>>() {}));
  }

  /** Reads what {@link #writeTo} wrote: the denials. */
  public static List<Denial> readDenials(java.nio.file.Path dir) throws java.io.IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    java.nio.file.Path file = dir.resolve("denials.json");
    if (!java.nio.file.Files.exists(file)) {
      return List.of();
    }
    return mapper.readValue(
        file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<List<Denial>>() {});
  }

  /** How many calls were denied (in soft mode: would have been). */
  public long deniedCount() {
    return denied.get();
  }

  public List<Denial> denials() {
    List<Denial> out = new ArrayList<>();
    denials.forEach(
        (k, v) ->
            out.add(new Denial(k.get(0), k.get(1), k.get(2), k.get(3), v.get(), messages.get(k))));
    out.sort(
        Comparator.comparing(Denial::function)
            .thenComparing(Denial::action)
            .thenComparing(Denial::resource));
    return out;
  }

  public Set<Use> used() {
    return Set.copyOf(used);
  }

  /**
   * The Allow grants in the template that no recorded call used: per role, each action pattern of
   * each statement on each of its resource patterns. A grant counts as used when some allowed call
   * of that role matched both patterns.
   */
  public static List<UnusedGrant> unusedGrants(IamPolicies policies, Set<Use> used) {
    List<UnusedGrant> out = new ArrayList<>();
    for (Role role : policies.roles().values()) {
      for (Statement s : role.statements()) {
        if (s.effect() != Statement.Effect.ALLOW
            || s.actions().isEmpty()
            || s.resources().isEmpty()) {
          continue;
        }
        for (String action : s.actions()) {
          for (String resource : s.resources()) {
            boolean any =
                used.stream()
                    .anyMatch(
                        u ->
                            u.role().equals(role.name())
                                && Wildcard.matches(action, u.action(), true)
                                && Wildcard.matches(resource, u.resource(), false));
            if (!any) {
              out.add(new UnusedGrant(role.name(), action, resource, s.source()));
            }
          }
        }
      }
    }
    out.sort(
        Comparator.comparing(UnusedGrant::role)
            .thenComparing(UnusedGrant::action)
            .thenComparing(UnusedGrant::resource));
    return out;
  }
}
