package com.cdp.local.platform.transactions;

import com.cdp.local.platform.LocalPlatform;
import com.cdp.local.platform.LocalService;
import com.cdp.local.platform.TemplateHttpApis;
import java.util.List;

/**
 * The transactions API on the local platform, from the template: the routes of the template's HTTP
 * API that invoke the get-transactions function, served on the gateway ({@link TemplateHttpApis})
 * by that function running from its {@code -lambda.jar} in the platform's function pool, with the
 * template's environment (its cursor-signing key is the template's generated secret).
 */
public final class TransactionsLocal implements LocalService {
  /** The template function this area runs. */
  static final String FUNCTION = "get-transactions";

  /**
   * The old local name of the cursor-signing key, still read by the cold-start harness (the
   * function itself reads the template's secret by its ARN).
   */
  public static final String CURSOR_SECRET = "cursor-signing-key";

  @Override
  public String name() {
    return "transactions";
  }

  @Override
  public void start(LocalPlatform platform) {
    // The functions become runnable once the gateway listens; the template names them already.
    platform.gateway().httpApis(TemplateHttpApis.ofFunction(platform, FUNCTION));
  }

  @Override
  public List<String> templateFunctions() {
    return List.of(FUNCTION);
  }

  @Override
  public List<String> hints(LocalPlatform platform) {
    return List.of(
        "transactions: ./cdp transactions --token $(./cdp session create --org ORG --member M)"
            + " --account ACCOUNT [--limit N] [--q TEXT] [--all]",
        "              curl -H 'Authorization: Bearer TOKEN' "
            + platform.gatewayUrl()
            + "/accounts/ACCOUNT/transactions?limit=10");
  }
}
