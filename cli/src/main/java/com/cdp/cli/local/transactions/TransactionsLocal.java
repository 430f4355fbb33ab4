package com.cdp.cli.local.transactions;

import com.cdp.cli.local.LocalPlatform;
import com.cdp.cli.local.LocalService;
import com.cdp.model.session.SessionService;
import com.cdp.model.table.Tables;
import com.cdp.model.wiring.Triggers;
import com.cdp.transactions.AccountAccess;
import com.cdp.transactions.CursorCodec;
import com.cdp.transactions.CursorKeyRing;
import com.cdp.transactions.CursorKeys;
import com.cdp.transactions.GetTransactionsHandler;
import com.cdp.transactions.TransactionPager;
import com.cdp.transactions.TransactionsService;
import java.time.Clock;
import java.util.List;

/**
 * The transactions API on the local platform: the production {@link GetTransactionsHandler} behind
 * {@code GET /accounts/{accountId}/transactions}, reading the local warehouse and sessions, with a
 * cursor-signing key generated once per data directory ({@code .cdp-local/secrets/}).
 */
public final class TransactionsLocal implements LocalService {
  /** The local secret that stands in for the Secrets Manager secret in AWS. */
  public static final String CURSOR_SECRET = "cursor-signing-key";

  @Override
  public String name() {
    return "transactions";
  }

  @Override
  public void start(LocalPlatform platform) {
    Clock clock = Clock.systemUTC();
    String warehouse = platform.tableName(Tables.WAREHOUSE);
    CursorKeyRing keys =
        CursorKeyRing.fixed(CursorKeys.of(platform.secrets().get(CURSOR_SECRET)), clock);
    GetTransactionsHandler handler =
        new GetTransactionsHandler(
            new TransactionsService(
                new SessionService(platform.dynamoDb(), platform.tableName(Tables.SESSIONS), clock),
                AccountAccess.ownership(platform.dynamoDb(), warehouse),
                new TransactionPager(platform.dynamoDb(), warehouse),
                new CursorCodec(keys, clock, CursorCodec.DEFAULT_TTL)),
            platform.logger());
    for (Triggers.Route route : Triggers.ROUTES) {
      if (route.function().equals(Triggers.Functions.GET_TRANSACTIONS)) {
        platform.gateway().route(route, handler::handle);
      }
    }
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
