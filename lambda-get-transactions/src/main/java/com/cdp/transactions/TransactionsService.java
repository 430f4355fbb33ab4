package com.cdp.transactions;

import com.cdp.access.SessionService;
import com.cdp.http.ApiError;
import com.cdp.logging.RequestLog;
import com.cdp.model.ValidationException;
import com.cdp.model.id.AccountId;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.Session;
import com.cdp.model.session.SessionToken;
import com.cdp.model.session.SessionVerification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists a member's account transactions a page at a time: checks the session, the member's access
 * to the account, the query and the cursor, in that order, then reads one page and signs the next
 * cursor. Refusals are {@link ApiError}s with a stable code.
 */
public final class TransactionsService {
  private final SessionService sessions;
  private final AccountAccess access;
  private final TransactionPager pager;
  private final CursorCodec cursors;

  public TransactionsService(
      SessionService sessions, AccountAccess access, TransactionPager pager, CursorCodec cursors) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.access = Objects.requireNonNull(access, "access");
    this.pager = Objects.requireNonNull(pager, "pager");
    this.cursors = Objects.requireNonNull(cursors, "cursors");
  }

  /** One page and the cursor for the next one ({@code null} when nothing is left). */
  public record Listing(
      List<TransactionView> transactions, String nextCursor, TransactionPager.ReadStats stats) {
    public Listing {
      transactions = List.copyOf(transactions);
    }
  }

  /**
   * The session a bearer token stands for.
   *
   * @throws ApiError 401 with {@code session_missing}, {@code session_malformed}, {@code
   *     session_unknown} or {@code session_expired}
   */
  public Session authenticate(String token) {
    SessionVerification result = sessions.verify(token);
    if (result instanceof SessionVerification.Valid valid) {
      return valid.session();
    }
    SessionVerification.Reason reason = ((SessionVerification.Refused) result).reason();
    // RFC 6750: a request without a token gets the bare challenge, a bad token says so.
    throw ApiError.unauthorized(
        reason.code(),
        reason.message(),
        reason.code().equals("session_missing") ? "Bearer" : "Bearer error=\"invalid_token\"");
  }

  /**
   * One page of the account's transactions for the session's member.
   *
   * @throws ApiError 404 {@code account_not_found} when the member does not own the account (or it
   *     does not exist: the two are indistinguishable on purpose), 400 for a bad query or cursor
   */
  public Listing list(
      Session session, String accountIdText, Map<String, String> query, RequestLog log) {
    AccountId account = accountOrNotFound(accountIdText);
    if (!access.mayRead(session.organization(), session.member(), account)) {
      log.failure("authorize", "member does not own the account", Map.of("account", mask(account)));
      throw notFound();
    }
    log.event("authorize", "member owns the account", Map.of("account", mask(account)));
    ListingQuery listing;
    Optional<Cursor> cursor;
    try {
      listing = ListingQuery.parse(query);
      cursor =
          listing.cursor().isEmpty()
              ? Optional.empty()
              : Optional.of(
                  cursors.verify(
                      listing.cursor().get(), session.organization(), account, listing.filter()));
    } catch (ValidationException e) {
      log.failure("validate", e.getMessage(), Map.of("code", e.code()));
      throw new ApiError(400, e.code(), e.getMessage());
    }
    TransactionPager.Page page =
        pager.read(
            session.organization(),
            account,
            listing.filter(),
            listing.limit(),
            cursor.map(TransactionPager.Resume::of).orElse(TransactionPager.Resume.START));
    String next =
        page.nextPosition()
            .map(
                position ->
                    cursors.issue(
                        position,
                        session.organization(),
                        account,
                        listing.filter(),
                        page.hintEvaluated(),
                        page.hintMatched()))
            .orElse(null);
    List<TransactionView> views = new ArrayList<>(page.transactions().size());
    page.transactions().forEach(t -> views.add(TransactionView.of(t)));
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("account", mask(account));
    detail.put("limit", listing.limit());
    detail.put("filters", filterNames(listing.filter()));
    detail.put("continued", cursor.isPresent());
    detail.put("returned", page.stats().returned());
    detail.put("evaluated", page.stats().evaluated());
    detail.put("dynamoDbCalls", page.stats().calls());
    detail.put("hasMore", next != null);
    log.event("list", "read one page of transactions", detail);
    cursors
        .takeKeyReloadFailure()
        .ifPresent(
            error ->
                log.failure(
                    "cursorKeys",
                    "re-reading the cursor-signing keys failed; the cached keys stay in use",
                    Map.of("error", error)));
    return new Listing(views, next, page.stats());
  }

  /**
   * SnapStart priming (see {@link com.cdp.aws.SnapStartPriming}): the request path's reads and the
   * cursor round trip, with values that match nothing — an unknown session, an account nobody owns,
   * a filtered query of an empty partition. Writes nothing; returns the (empty) page. The cursor
   * round trip also reads the signing keys, so the Secrets Manager path is in the snapshot; a
   * restored snapshot older than {@link CursorKeyRing#REFRESH} re-reads them on its first request
   * (a rotation must reach it), then as one network call.
   */
  Listing prime() {
    sessions.verify(SessionToken.generate());
    OrganizationId org = OrganizationId.of("snapstart-priming");
    AccountId account = AccountId.of("snapstart-priming");
    access.mayRead(org, MemberId.of("snapstart-priming"), account);
    ListingQuery listing =
        ListingQuery.parse(
            Map.of("q", "priming", "from", "2026-01-01", "minAmount", "-1.00", "type", "DEBIT"));
    TransactionPager.Page page =
        pager.read(org, account, listing.filter(), listing.limit(), TransactionPager.Resume.START);
    String cursor = cursors.issue("2026-01-01#priming", org, account, listing.filter(), 1, 1);
    cursors.verify(cursor, org, account, listing.filter());
    List<TransactionView> views = new ArrayList<>();
    page.transactions().forEach(t -> views.add(TransactionView.of(t)));
    return new Listing(views, cursor, page.stats());
  }

  private static AccountId accountOrNotFound(String text) {
    try {
      return AccountId.of(text);
    } catch (ValidationException e) {
      // An id that cannot exist is simply not found: the same answer as someone else's account.
      throw notFound();
    }
  }

  private static ApiError notFound() {
    return new ApiError(404, "account_not_found", "no such account");
  }

  private static List<String> filterNames(TransactionFilter f) {
    List<String> names = new ArrayList<>();
    f.from().ifPresent(v -> names.add("from"));
    f.to().ifPresent(v -> names.add("to"));
    f.minAmount().ifPresent(v -> names.add("minAmount"));
    f.maxAmount().ifPresent(v -> names.add("maxAmount"));
    f.type().ifPresent(v -> names.add("type"));
    f.text().ifPresent(v -> names.add("q"));
    return names;
  }

  /** Account ids are account numbers at some credit unions: logs keep the last four only. */
  static String mask(AccountId account) {
    String v = account.value();
    return v.length() <= 4 ? "****" : "****" + v.substring(v.length() - 4);
  }
}
