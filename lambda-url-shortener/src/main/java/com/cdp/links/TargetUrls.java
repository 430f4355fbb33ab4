package com.cdp.links;

import com.cdp.http.ApiError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Validation of link targets: absolute {@code http}/{@code https} URLs with a host, at most {@link
 * #MAX_LENGTH} characters, no user-info (it disguises the real host, {@code
 * https://bank.com@evil.example}) and not pointing back at the short domain.
 */
final class TargetUrls {
  public static final int MAX_LENGTH = 2048;

  private TargetUrls() {}

  public static URI validate(String url, ShortHosts hosts) {
    if (url == null || url.isBlank()) {
      throw ApiError.badRequest("missing_url", "url is required");
    }
    if (url.length() > MAX_LENGTH) {
      throw ApiError.badRequest("invalid_url", "url must be at most " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7F) {
        throw ApiError.badRequest(
            "invalid_url",
            "url must not contain spaces or control characters (percent-encode them)");
      }
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw ApiError.badRequest("invalid_url", "url is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !uri.isAbsolute()) {
      throw ApiError.badRequest(
          "invalid_url", "url must be absolute, starting with http:// or https://");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw ApiError.badRequest("invalid_url", "only http and https URLs can be shortened");
    }
    if (uri.getRawUserInfo() != null) {
      throw ApiError.badRequest("invalid_url", "url must not contain user information (user@)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw ApiError.badRequest(
          "invalid_url", "url must have a valid host name (internationalized names in punycode)");
    }
    if (hosts.isShortHost(uri.getHost())) {
      throw ApiError.badRequest("invalid_url", "url must not point at the short-link domain");
    }
    return uri;
  }
}
