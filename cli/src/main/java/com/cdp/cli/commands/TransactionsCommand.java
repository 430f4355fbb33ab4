package com.cdp.cli.commands;

import com.cdp.cli.env.TargetOptions;
import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./cdp transactions}: one page of an account's transactions through {@code GET
 * /accounts/{accountId}/transactions}, then the cursor for the next page.
 */
@Command(
    name = "transactions",
    mixinStandardHelpOptions = true,
    description = {
      "List an account's transactions (GET /accounts/{accountId}/transactions), newest first.",
      "Prints one page and the next cursor; pass it back with --cursor and the same filters.",
      "The session token comes from './cdp session create --org ORG --member ID'."
    })
public final class TransactionsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--token", required = true, description = "Session token (Authorization: Bearer)")
  String token;

  @Option(names = "--account", required = true, description = "Account id")
  String account;

  @Option(names = "--limit", paramLabel = "N", description = "Page size 1-100 (default 25)")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "C", description = "nextCursor of the previous page")
  String cursor;

  @Option(names = "--from", paramLabel = "DATE", description = "Posted on or after (2026-11-01)")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "Posted on or before (2026-11-30)")
  String to;

  @Option(names = "--min-amount", paramLabel = "AMOUNT", description = "Amount at least (-50.00)")
  String minAmount;

  @Option(names = "--max-amount", paramLabel = "AMOUNT", description = "Amount at most (0)")
  String maxAmount;

  @Option(names = "--type", description = "DEBIT CREDIT FEE INTEREST TRANSFER CHECK OTHER")
  String type;

  @Option(names = "--q", paramLabel = "TEXT", description = "Description contains (any case)")
  String q;

  @Option(names = "--all", description = "Follow the cursors and print every page")
  boolean all;

  @Option(names = "--json", description = "Print the API's JSON response(s) as they are")
  boolean json;

  @Option(names = "--endpoint", description = "API base URL override (default: the environment's)")
  URI endpoint;

  @Mixin TargetOptions targetOptions = new TargetOptions();

  @Override
  public void run() {
    URI base =
        endpoint != null
            ? endpoint
            : targetOptions.target(spec.commandLine().getErr()).transactionsApi();
    ApiCall api = new ApiCall(base);
    PrintWriter out = spec.commandLine().getOut();
    String next = cursor;
    int pages = 0;
    int total = 0;
    do {
      JsonNode page = fetch(api, next);
      pages++;
      total += page.path("transactions").size();
      next = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
      if (json) {
        out.println(Json.write(page));
      } else {
        print(out, page, pages == 1);
        if (!all || next == null) {
          out.println("nextCursor: " + (next == null ? "null (no more pages)" : next));
        }
      }
    } while (all && next != null);
    if (all && !json) {
      out.println(total + " transaction(s) in " + pages + " page(s)");
    }
    out.flush();
  }

  private JsonNode fetch(ApiCall api, String pageCursor) {
    Map<String, String> params = new LinkedHashMap<>();
    put(params, "limit", limit == null ? null : String.valueOf(limit));
    put(params, "from", from);
    put(params, "to", to);
    put(params, "minAmount", minAmount);
    put(params, "maxAmount", maxAmount);
    put(params, "type", type);
    put(params, "q", q);
    put(params, "cursor", pageCursor);
    return api.send(
        api.request(path(params)).header("Authorization", "Bearer " + token).GET().build(), 200);
  }

  String path(Map<String, String> params) {
    StringJoiner query = new StringJoiner("&", "?", "");
    query.setEmptyValue("");
    params.forEach((k, v) -> query.add(k + "=" + encode(v)));
    return "/accounts/" + encode(account) + "/transactions" + query;
  }

  private static void put(Map<String, String> params, String name, String value) {
    if (value != null) {
      params.put(name, value);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void print(PrintWriter out, JsonNode page, boolean header) {
    String format = "%-10s  %14s  %-8s  %-24s  %s%n";
    if (header) {
      out.printf(format, "POSTED", "AMOUNT", "TYPE", "TRANSACTION ID", "DESCRIPTION");
    }
    for (JsonNode t : page.path("transactions")) {
      out.printf(
          format,
          t.path("postedDate").asText(),
          t.path("amount").decimalValue().toPlainString(),
          t.path("type").asText(""),
          t.path("transactionId").asText(),
          t.path("description").asText());
    }
  }
}
