package com.cdp.local.platform;

import com.cdp.model.json.Json;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Answers only requests addressed to this machine by name: Host {@code 127.0.0.1}, {@code
 * localhost} or a {@code *.localhost} name (any port). A web page that rebinds its own DNS name to
 * 127.0.0.1 still sends its own name as Host, so it cannot reach the gateway's APIs (the secrets
 * among them) from a browser.
 */
final class LocalHostOnly implements Filter {
  static boolean allowed(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return false;
    }
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      String port = host.substring(colon + 1);
      if (!port.matches("\\d{1,5}")) {
        return false;
      }
      host = host.substring(0, colon);
    }
    return host.equals("127.0.0.1")
        || host.equals("localhost")
        || (host.endsWith(".localhost")
            && host.substring(0, host.length() - ".localhost".length())
                .matches("[a-z0-9-]+(\\.[a-z0-9-]+)*"));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (allowed(((HttpServletRequest) request).getHeader("Host"))) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletResponse http = (HttpServletResponse) response;
    http.setStatus(403);
    http.setContentType("application/json");
    http.getOutputStream()
        .write(
            Json.writeBytes(
                Map.of(
                    "code",
                    "FOREIGN_HOST",
                    "message",
                    "the local gateway answers only Host 127.0.0.1, localhost or *.localhost")));
  }
}
