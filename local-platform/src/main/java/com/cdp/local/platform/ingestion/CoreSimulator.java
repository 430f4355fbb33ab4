package com.cdp.local.platform.ingestion;

import com.cdp.local.platform.LocalConnectorHub;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated core behind the local Connector Hub: {@code cdp-core/1/getTransactions}. An account's
 * ledger is what was {@link #post posted} to it; an account nobody posted to has three
 * deterministic transactions dated today. Answers only transactions on or after {@code since}.
 */
public final class CoreSimulator {
  private final Map<String, List<JsonNode>> ledgers = new ConcurrentHashMap<>();
  private final Clock clock;

  public CoreSimulator(Clock clock) {
    this.clock = clock;
  }

  /** Sets an account's transactions (objects with the columns of CONTRACTS 1a). */
  public void post(String organizationId, String accountId, List<JsonNode> transactions) {
    ledgers.put(organizationId + "/" + accountId, List.copyOf(transactions));
  }

  LocalConnectorHub.Reply getTransactions(LocalConnectorHub.Call call) {
    String account = call.body().path("accountId").asText("");
    if (account.isEmpty()) {
      return new LocalConnectorHub.Reply(400, Map.of("message", "accountId is required"));
    }
    String member = call.body().path("memberId").asText(null);
    String since = call.body().path("since").asText(null);
    List<JsonNode> ledger =
        ledgers.getOrDefault(call.organizationId() + "/" + account, defaults(member, account));
    ObjectNode body = Json.object();
    ArrayNode out = body.putArray("transactions");
    for (JsonNode t : ledger) {
      if (since == null || t.path("postedDate").asText("").compareTo(since) >= 0) {
        out.add(t);
      }
    }
    return new LocalConnectorHub.Reply(200, body);
  }

  private List<JsonNode> defaults(String member, String account) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    String[][] samples = {
      {"-42.17", "POS DEBIT 1127 TARGET T-1234 MINNEAPOLIS MN", "5311"},
      {"-5.75", "SQ *BLUE BOTTLE COFFEE OAKLAND CA", "5814"},
      {"1250.00", "ACH CREDIT ACME CORP PAYROLL", null},
    };
    ObjectNode[] out = new ObjectNode[samples.length];
    for (int i = 0; i < samples.length; i++) {
      ObjectNode t = Json.object();
      if (member != null) {
        t.put("memberId", member);
      }
      t.put("accountId", account);
      t.put(
          "transactionId",
          "CORE-" + today.toString().replace("-", "") + "-" + account + "-" + (i + 1));
      t.put("postedDate", today.toString());
      t.put("amount", samples[i][0]);
      t.put("description", samples[i][1]);
      if (samples[i][2] != null) {
        t.put("merchantCategoryCode", samples[i][2]);
      }
      out[i] = t;
    }
    return List.of(out);
  }
}
