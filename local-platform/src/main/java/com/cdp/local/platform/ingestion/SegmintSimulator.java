package com.cdp.local.platform.ingestion;

import com.cdp.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Segmint Data Services simulator on the local gateway under {@link #PATH}, speaking the API the
 * cleanser's client calls (as Segmint documents it):
 *
 * <ul>
 *   <li>{@code POST /auth/v1/token?grant_type=token} with HTTP Basic (the client id and secret of
 *       the local secret {@link #CREDENTIALS_SECRET}) answers {@code {"access_token","token_type",
 *       "expires_in"}}; wrong credentials answer 401;
 *   <li>{@code POST /v2/partners/{partnerId}/merchants/cleanse-transaction/} with {@code
 *       Authorization: Bearer ...}: an unknown or expired token answers 401, another partner 403, a
 *       missing {@code merchantDescription} 400; otherwise the seeded merchant whose keyword the
 *       description contains (matchType {@code EXACT}/{@code SIMILAR}), or {@code NO_MATCH};
 *   <li>{@code POST /_simulator/throttle?requests=N&retryAfter=S}: the next N cleanse calls answer
 *       429 with {@code Retry-After: S} (also {@link #throttleNext}).
 * </ul>
 */
public final class SegmintSimulator {
  /** Path prefix under the gateway: the base URL is {@code gatewayUrl + PATH}. */
  public static final String PATH = "/segmint";

  public static final String PARTNER_ID = "cdp-local";
  public static final String CLIENT_ID = "cdp-local";
  public static final String CREDENTIALS_SECRET = "cdp/local/segmint-credentials";

  private static final Pattern CLEANSE =
      Pattern.compile("/v2/partners/([^/]+)/merchants/cleanse-transaction/?");

  /** One seeded merchant: a description containing {@code keyword} matches it. */
  record Merchant(
      String keyword,
      String cleansed,
      String classification,
      String logoUrl,
      String city,
      String state,
      String category1,
      String category2,
      String mcc) {}

  static final List<Merchant> MERCHANTS =
      List.of(
          new Merchant(
              "WALMART",
              "WALMART SUPERCENTER",
              "WALMART",
              "https://logos.segmint.local/walmart.svg",
              "BENTONVILLE",
              "AR",
              "DISCOUNT STORES",
              "SHOPPING",
              "GROCERY STORES, SUPERMARKETS"),
          new Merchant(
              "STARBUCKS",
              "STARBUCKS",
              "STARBUCKS",
              "https://logos.segmint.local/starbucks.svg",
              "SEATTLE",
              "WA",
              "COFFEE SHOPS",
              "FOOD & DINING",
              "FAST FOOD RESTAURANTS"),
          new Merchant(
              "SHELL OIL",
              "SHELL OIL",
              "SHELL",
              "",
              null,
              null,
              "GAS STATIONS",
              "TRANSPORTATION & AUTOMOTIVE",
              "SERVICE STATIONS (WITH OR WITHOUT ANCILLARY SERVICES)"),
          new Merchant(
              "KROGER",
              "KROGER",
              "KROGER",
              "https://logos.segmint.local/kroger.svg",
              "CINCINNATI",
              "OH",
              "SUPERMARKETS",
              "GROCERIES",
              "GROCERY STORES, SUPERMARKETS"),
          new Merchant(
              "COMCAST",
              "COMCAST CABLE",
              "COMCAST",
              "https://logos.segmint.local/comcast.svg",
              null,
              null,
              "CABLE & SATELLITE",
              "BILLS & UTILITIES",
              "CABLE AND OTHER PAY TELEVISION SERVICES"),
          new Merchant(
              "AMAZON",
              "AMAZON.COM",
              "AMAZON",
              "https://logos.segmint.local/amazon.svg",
              null,
              null,
              "ONLINE RETAIL",
              "SHOPPING",
              "BOOK STORES"),
          new Merchant(
              "BLUE BOTTLE",
              "BLUE BOTTLE COFFEE",
              "BLUE BOTTLE COFFEE",
              "",
              "OAKLAND",
              "CA",
              "COFFEE SHOPS",
              "FOOD & DINING",
              "FAST FOOD RESTAURANTS"),
          new Merchant(
              "CHIPOTLE",
              "CHIPOTLE MEXICAN GRILL",
              "CHIPOTLE",
              "https://logos.segmint.local/chipotle.svg",
              "DENVER",
              "CO",
              "FAST FOOD",
              "FOOD & DINING",
              "EATING PLACES, RESTAURANTS"),
          new Merchant(
              "UBER",
              "UBER",
              "UBER",
              "https://logos.segmint.local/uber.svg",
              null,
              null,
              "RIDE SHARING",
              "TRANSPORTATION & AUTOMOTIVE",
              "TAXICABS/LIMOUSINES"),
          new Merchant(
              "NETFLIX",
              "NETFLIX",
              "NETFLIX",
              "https://logos.segmint.local/netflix.svg",
              "LOS GATOS",
              "CA",
              "STREAMING SERVICES",
              "ENTERTAINMENT",
              "CABLE AND OTHER PAY TELEVISION SERVICES"),
          new Merchant(
              "CVS",
              "CVS PHARMACY",
              "CVS",
              "https://logos.segmint.local/cvs.svg",
              null,
              null,
              "PHARMACIES",
              "HEALTH & WELLNESS",
              "DRUG STORES AND PHARMACIES"),
          new Merchant(
              "HOME DEPOT",
              "THE HOME DEPOT",
              "HOME DEPOT",
              "https://logos.segmint.local/homedepot.svg",
              "ATLANTA",
              "GA",
              "HOME IMPROVEMENT",
              "HOME",
              "HOME SUPPLY WAREHOUSE STORES"));

  private final Supplier<String> credentialsSecret;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicLong tokenRequests = new AtomicLong();
  private final AtomicLong cleanseRequests = new AtomicLong();
  private volatile int retryAfterSeconds = 1;
  private volatile Duration tokenLifetime = Duration.ofHours(1);

  /**
   * @param credentialsSecret the value of the local secret {@link #CREDENTIALS_SECRET} (JSON with
   *     {@code clientId} and {@code clientSecret}), read on every token request so a rotated local
   *     secret takes effect
   */
  public SegmintSimulator(Supplier<String> credentialsSecret, Clock clock) {
    this.credentialsSecret = credentialsSecret;
    this.clock = clock;
  }

  /** The JSON the local credentials secret holds, around a freshly generated client secret. */
  public static String credentialsJson(String clientSecret) {
    return Json.write(Map.of("clientId", CLIENT_ID, "clientSecret", clientSecret));
  }

  /** The next {@code requests} cleanse calls answer 429 with {@code Retry-After: seconds}. */
  public void throttleNext(int requests, int seconds) {
    retryAfterSeconds = seconds;
    throttled.set(requests);
  }

  /** Every token issued so far answers 401 from now on (as if it had expired). */
  public void expireTokens() {
    tokens.clear();
  }

  /** The {@code expires_in} of tokens issued from now on. */
  public void tokenLifetime(Duration lifetime) {
    this.tokenLifetime = lifetime;
  }

  public long tokenRequests() {
    return tokenRequests.get();
  }

  public long cleanseRequests() {
    return cleanseRequests.get();
  }

  public HttpServlet servlet() {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doPost(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        String path = request.getRequestURI().substring(PATH.length());
        if (path.equals("/auth/v1/token")) {
          token(request, response);
          return;
        }
        Matcher cleanse = CLEANSE.matcher(path);
        if (cleanse.matches()) {
          cleanse(cleanse.group(1), request, response);
          return;
        }
        if (path.equals("/_simulator/throttle")) {
          try {
            throttleNext(
                Integer.parseInt(request.getParameter("requests")),
                Integer.parseInt(request.getParameter("retryAfter")));
          } catch (NumberFormatException e) {
            write(response, 400, error("requests and retryAfter must be whole numbers"));
            return;
          }
          write(response, 200, Map.of("throttled", throttled.get()));
          return;
        }
        write(response, 404, error("The resource does not exist."));
      }
    };
  }

  private void token(HttpServletRequest request, HttpServletResponse response) throws IOException {
    tokenRequests.incrementAndGet();
    if (!"token".equals(request.getParameter("grant_type"))) {
      write(response, 400, error("grant_type is required and must be token"));
      return;
    }
    if (!basicMatches(request.getHeader("Authorization"))) {
      write(response, 401, error("The authorization provided is invalid"));
      return;
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Duration lifetime = tokenLifetime;
    tokens.put(token, clock.instant().plus(lifetime));
    write(
        response,
        200,
        Map.of("access_token", token, "token_type", "Bearer", "expires_in", lifetime.toSeconds()));
  }

  private boolean basicMatches(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    JsonNode expected = Json.tree(credentialsSecret.get());
    String wanted =
        expected.path("clientId").asText() + ":" + expected.path("clientSecret").asText();
    String given;
    try {
      given =
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(
        wanted.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private void cleanse(String partner, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    cleanseRequests.incrementAndGet();
    String authorization = request.getHeader("Authorization");
    Instant expires =
        authorization != null && authorization.startsWith("Bearer ")
            ? tokens.get(authorization.substring(7).strip())
            : null;
    if (expires == null || !clock.instant().isBefore(expires)) {
      write(response, 401, error("The authorization token provided is invalid"));
      return;
    }
    if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
      write(response, 429, error("Too many requests"));
      return;
    }
    if (!PARTNER_ID.equals(partner)) {
      write(response, 403, error("The token does not have access to partner " + partner));
      return;
    }
    JsonNode body;
    try {
      body =
          Json.tree(
              new String(request.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      write(response, 400, error("The posted JSON is malformed"));
      return;
    }
    String description = body.path("merchantDescription").asText("").strip();
    if (description.isEmpty()) {
      write(response, 400, error("Field merchantDescription is required."));
      return;
    }
    if ("VISA".equals(request.getParameter("parser")) && description.length() > 40) {
      write(
          response,
          400,
          error("When using the VISA parser, the merchantDescription must be 40 characters"));
      return;
    }
    write(response, 200, answer(description, body));
  }

  static ObjectNode answer(String description, JsonNode request) {
    String upper = description.toUpperCase(Locale.ROOT);
    ObjectNode out = Json.object();
    String transType = request.path("transType").asText(null);
    Merchant found = null;
    for (Merchant m : MERCHANTS) {
      if (upper.contains(m.keyword())) {
        found = m;
        break;
      }
    }
    if (found == null) {
      out.put("matchType", "NO_MATCH");
      out.put("matchScore", 0);
      if (transType != null) {
        out.put("transType", transType);
      }
      out.putObject("matchDetail").put("cleansed", "");
      return out;
    }
    boolean exact = upper.equals(found.cleansed());
    out.put("matchType", exact ? "EXACT" : "SIMILAR");
    out.put("matchScore", exact ? 1.0 : 0.9);
    if (transType != null) {
      out.put("transType", transType);
    }
    ObjectNode detail = out.putObject("matchDetail");
    detail.put("cleansed", found.cleansed());
    ObjectNode merchant = detail.putObject("merchant");
    merchant.put("classification", found.classification());
    merchant.put("logoUrl", found.logoUrl());
    // The location is given only when the description names the merchant's city.
    if (found.city() != null && upper.contains(found.city())) {
      merchant
          .putObject("location")
          .put("city", found.city())
          .put("state", found.state())
          .put("zip", "")
          .put("country", "US");
    }
    detail.putObject("category1").put("classification", found.category1()).put("logoUrl", "");
    detail.putObject("category2").put("classification", found.category2()).put("logoUrl", "");
    detail.putObject("mcc").put("classification", found.mcc()).put("logoUrl", "");
    return out;
  }

  private static Map<String, Object> error(String message) {
    return Map.of("error", List.of(message));
  }

  private static void write(HttpServletResponse response, int status, Object body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getOutputStream().write(Json.writeBytes(body));
  }
}
