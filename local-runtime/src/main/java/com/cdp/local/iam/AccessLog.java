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
    used.add(new Use(role, action, resource));
  }

  void denied(
      String role,
      String function,
      String action,
      String resource,
      String message,
      boolean enforced) {
    denied.incrementAndGet();
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
