package com.cdp.links;

import com.cdp.http.ApiError;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for link codes. Custom slugs: 3-64 characters of letters, digits, {@code -} and {@code _},
 * starting with a letter or digit, and not a reserved word (paths the platform serves or may serve
 * on the same hosts). Codes are case-sensitive.
 */
final class Slugs {
  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 64;
  private static final Pattern SLUG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{2,63}");

  /** Anything a request path can carry as a code (random codes and slugs both fit). */
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** Compared case-insensitively. */
  static final Set<String> RESERVED =
      Set.of(
          "links",
          "link",
          "api",
          "admin",
          "health",
          "healthz",
          "status",
          "hub",
          "realtime",
          "accounts",
          "login",
          "logout",
          "static",
          "assets",
          "favicon",
          "robots",
          "www",
          "well-known",
          "about",
          "help",
          "support",
          "docs",
          "new",
          "create",
          "edit",
          "delete");

  private Slugs() {}

  /** Validates a custom slug; throws a 400 {@link ApiError} saying which rule failed. */
  public static String validate(String slug) {
    if (slug.length() < MIN_LENGTH || slug.length() > MAX_LENGTH) {
      throw ApiError.badRequest(
          "invalid_slug", "slug must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters long");
    }
    if (!SLUG.matcher(slug).matches()) {
      throw ApiError.badRequest(
          "invalid_slug",
          "slug may contain only letters, digits, '-' and '_', and must start with a letter or"
              + " digit");
    }
    if (RESERVED.contains(slug.toLowerCase(Locale.ROOT))) {
      throw ApiError.badRequest("reserved_slug", "slug '" + slug + "' is reserved");
    }
    return slug;
  }

  /** Whether a request path segment could be a code at all (anything else is a 404 right away). */
  public static boolean isPossibleCode(String code) {
    return code != null && CODE.matcher(code).matches();
  }
}
