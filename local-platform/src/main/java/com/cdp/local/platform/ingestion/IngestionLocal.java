package com.cdp.local.platform.ingestion;

import com.cdp.ingestion.platform.CoreTransactionsClient;
import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.template.LocalTemplate;
import com.cdp.model.wiring.Triggers;
import java.time.Clock;
import java.util.List;

/**
 * Transaction ingestion on the local platform, run from the template: this area claims the chunker,
 * the loader, the platform-announced transactions function and the cleanser, so the platform runs
 * each from its {@code -lambda.jar} in the function pool with the template's environment, invoked
 * by the template's S3 notifications (files under {@code transactions/}, chunks) and EventBridge
 * rules (announcements, added transactions), with their invoke configurations and on-failure
 * destinations. The area itself only serves the two outside systems those functions call: a
 * simulated core ({@code cdp-core/1/getTransactions}) on the Connector Hub simulator, and the
 * Segmint simulator the template's {@code SEGMINT_BASE_URL} names (its client credentials are the
 * local secret the template's {@code SEGMINT_CREDENTIALS_SECRET} names).
 */
public final class IngestionLocal implements LocalService {
  /** The template functions this area runs. */
  static final List<String> FUNCTIONS =
      List.of(
          Triggers.Functions.TXN_CHUNKER,
          Triggers.Functions.TXN_LOADER,
          Triggers.Functions.PLATFORM_TXN_ADDED,
          Triggers.Functions.TXN_CLEANSER);

  private final CoreSimulator core = new CoreSimulator(Clock.systemUTC());
  private SegmintSimulator segmint;

  @Override
  public String name() {
    return "ingestion";
  }

  @Override
  public List<String> templateFunctions() {
    return FUNCTIONS;
  }

  /** The Segmint simulator (valid after start), so tests can throttle it and count its calls. */
  public SegmintSimulator segmint() {
    return segmint;
  }

  /** The simulated core, so tests can post an account's transactions. */
  public CoreSimulator core() {
    return core;
  }

  @Override
  public void start(LocalPlatform platform) {
    platform
        .connectorHub()
        .register(
            CoreTransactionsClient.DEFAULT_CONNECTOR,
            CoreTransactionsClient.DEFAULT_VERSION,
            CoreTransactionsClient.METHOD,
            core::getTransactions);
    String secret = credentialsSecret(platform.template());
    // Created before any cleanser runs, so the function reads the simulator's credentials.
    platform.secrets().get(secret, SegmintSimulator::credentialsJson);
    segmint = new SegmintSimulator(() -> platform.secrets().get(secret), Clock.systemUTC());
    platform.gateway().servlet(SegmintSimulator.PATH + "/*", segmint.servlet());
  }

  /**
   * The secret holding Segmint's client credentials, as the template's cleanser names it: the local
   * environment configures Segmint (infra-cdk/environments/local.json) so the cleanser's Segmint
   * client runs locally against the simulator.
   */
  static String credentialsSecret(LocalTemplate template) {
    LocalTemplate.Function cleanser =
        template.functions().stream()
            .filter(f -> f.module().orElse("").equals("lambda-" + Triggers.Functions.TXN_CLEANSER))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("the local template has no txn-cleanser function"));
    String secret = cleanser.environment().get("SEGMINT_CREDENTIALS_SECRET");
    if (secret == null || secret.isBlank()) {
      throw new IllegalStateException(
          "the local template's txn-cleanser has no SEGMINT_CREDENTIALS_SECRET:"
              + " infra-cdk/environments/local.json must configure segmint (the local simulator)");
    }
    return secret;
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    return List.of(
        "transactions: ./cdp mock-transactions --org ORG --bad-rows 3 > /tmp/t.csv"
            + " && ./cdp upload --org ORG transactions /tmp/t.csv",
        "  report: s3://ORG-data-delivery/transactions/reports/t.report.json",
        "segmint simulator: "
            + platform.gatewayUrl()
            + SegmintSimulator.PATH
            + " (cleanser's Segmint; POST /_simulator/throttle?requests=N&retryAfter=S for 429s)");
  }
}
