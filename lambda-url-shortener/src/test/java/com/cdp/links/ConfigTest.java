package com.cdp.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.model.config.EnvReader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static Config config(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("CDP_ENV", "local");
    env.put("SHORT_DOMAIN", "localhost");
    env.put("API_KEY_PEPPER_SECRET_ARN", "arn:pepper");
    env.put("CURSOR_SECRET_ARN", "arn:cursor");
    env.putAll(extra);
    return Config.from(new EnvReader(env));
  }

  @Test
  void shortUrls_areHttpsOnTheDefaultPort_byDefault() {
    assertThat(config(Map.of()).hosts().shortUrl(LinkScope.BARE, "abc"))
        .isEqualTo("https://localhost/abc");
  }

  @Test
  void shortUrlOrigin_givesTheSchemeAndPort_ofShortUrls() {
    Config c =
        config(Map.of("SHORT_URL_SCHEME", "https", "SHORT_URL_ORIGIN", "http://127.0.0.1:45123"));

    assertThat(c.hosts().shortUrl(LinkScope.of(com.cdp.model.id.OrganizationId.of("tcu")), "abc"))
        .isEqualTo("http://tcu.localhost:45123/abc");
    assertThat(c.hosts().scopeOf("tcu.localhost:45123"))
        .contains(LinkScope.of(com.cdp.model.id.OrganizationId.of("tcu")));
  }

  @Test
  void shortUrlOrigin_withoutAPort_usesTheSchemesDefault() {
    assertThat(
            config(Map.of("SHORT_URL_ORIGIN", "http://gateway/"))
                .hosts()
                .shortUrl(LinkScope.BARE, "x"))
        .isEqualTo("http://localhost/x");
  }

  @Test
  void shortUrlOrigin_thatIsNotAnHttpOrigin_isAClearConfigurationError() {
    for (String bad : new String[] {"ftp://h:1", "http://h:1/hub", "not a url", "h:1"}) {
      assertThatThrownBy(() -> config(Map.of("SHORT_URL_ORIGIN", bad)))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("SHORT_URL_ORIGIN");
    }
  }
}
