package com.cdp.model.connector;

import com.cdp.model.event.Topic;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which connector sources may announce transactions ({@code platform_account_transactionadded}) for
 * which organization: {@code {"tcu": ["cdp.connector.cdp-transfer"]}}. Kept per environment ({@code
 * connectorSources} in {@code infra-cdk/environments/ENV.json}, {@code local.json} locally) and
 * handed to the function as {@code CONNECTOR_SOURCES}. An organization that is not listed accepts
 * no announcement.
 */
public final class ConnectorSources {
  /** The name of the environment variable (and the JSON key of the environment files). */
  public static final String ENV_VAR = "CONNECTOR_SOURCES";

  private static final Pattern SOURCE =
      Pattern.compile(Pattern.quote(Topic.CONNECTOR_SOURCE_PREFIX) + "[a-z0-9][a-z0-9.-]{0,99}");

  private final Map<String, Set<String>> byOrganization;

  private ConnectorSources(Map<String, Set<String>> byOrganization) {
    this.byOrganization = byOrganization;
  }

  /** Accepts nothing. */
  public static ConnectorSources none() {
    return new ConnectorSources(Map.of());
  }

  /**
   * Validates a map: organization ids as the contract spells them, each source {@code
   * cdp.connector.NAME} (lowercase letters, digits, '.', '-'), no empty list.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static ConnectorSources of(Map<String, ? extends java.util.Collection<String>> map) {
    Objects.requireNonNull(map, "map");
    Map<String, Set<String>> valid = new TreeMap<>();
    for (Map.Entry<String, ? extends java.util.Collection<String>> e : map.entrySet()) {
      try {
        OrganizationId.of(e.getKey());
      } catch (RuntimeException bad) {
        throw new IllegalArgumentException(
            "connectorSources: '" + e.getKey() + "' is not an organization id");
      }
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException(
            "connectorSources: organization '"
                + e.getKey()
                + "' lists no source (leave it out to accept none)");
      }
      Set<String> sources = new LinkedHashSet<>();
      for (String source : e.getValue()) {
        if (source == null || !SOURCE.matcher(source).matches()) {
          throw new IllegalArgumentException(
              "connectorSources: organization '"
                  + e.getKey()
                  + "' lists '"
                  + source
                  + "'; a source is "
                  + Topic.CONNECTOR_SOURCE_PREFIX
                  + "NAME (lowercase letters, digits, '.', '-')");
        }
        sources.add(source);
      }
      valid.put(e.getKey(), Set.copyOf(sources));
    }
    return new ConnectorSources(Map.copyOf(valid));
  }

  /**
   * Parses the JSON form ({@code {"org": ["source", ...]}}); blank means none.
   *
   * @throws IllegalArgumentException when it is not such an object or an entry is invalid
   */
  public static ConnectorSources parse(String json) {
    if (json == null || json.isBlank()) {
      return none();
    }
    JsonNode root;
    try {
      root = Json.tree(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ENV_VAR + " is not JSON");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          ENV_VAR + " must be an object of organization -> list of sources");
    }
    Map<String, java.util.List<String>> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!f.getValue().isArray()) {
        throw new IllegalArgumentException(
            "connectorSources: organization '" + f.getKey() + "' must map to a list of sources");
      }
      java.util.List<String> sources = new java.util.ArrayList<>();
      f.getValue().forEach(s -> sources.add(s.isTextual() ? s.asText() : null));
      map.put(f.getKey(), sources);
    }
    return of(map);
  }

  /** Whether {@code source} may announce transactions for {@code organization}. */
  public boolean allows(String organization, String source) {
    Set<String> sources = byOrganization.get(organization);
    return sources != null && source != null && sources.contains(source);
  }

  /** The map, sorted by organization. */
  public Map<String, Set<String>> asMap() {
    return byOrganization;
  }

  /** The compact JSON form {@link #parse} reads (sorted, so a synthesized template is stable). */
  public String toJson() {
    Map<String, java.util.List<String>> sorted = new TreeMap<>();
    byOrganization.forEach((org, sources) -> sorted.put(org, sources.stream().sorted().toList()));
    return Json.write(sorted);
  }
}
