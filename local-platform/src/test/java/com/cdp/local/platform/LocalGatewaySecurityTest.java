package com.cdp.local.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.local.iam.LocalCredentials;
import com.cdp.local.iam.SignatureCheck;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The gateway answers only local Host names, and its secrets only to signed callers. */
class LocalGatewaySecurityTest {
  private static LocalGateway gateway;
  private static LocalCredentials credentials;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("gateway-security");
    credentials = LocalCredentials.load(dir.resolve("iam"));
    LocalSecrets secrets = new LocalSecrets(dir.resolve("secrets"));
    gateway = new LocalGateway(0);
    gateway.servlet("/_aws/secretsmanager", new LocalSecretsApi(secrets));
    LocalSecretsApi signed =
        new LocalSecretsApi(secrets, Optional.of(SignatureCheck.of(credentials)));
    gateway.servlet("/_aws/signed/secretsmanager", signed);
    gateway.servlet("/_aws/signed/secretsmanager/*", signed);
    gateway.start();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  /**
   * Status line and body of a raw HTTP/1.1 POST (Java's HttpClient will not send a chosen Host).
   */
  private static String post(String path, String host) throws Exception {
    String body = "{\"SecretId\":\"cursor-signing-key\"}";
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(10_000);
      String request =
          "POST "
              + path
              + " HTTP/1.1\r\n"
              + "Host: "
              + (host == null ? "127.0.0.1:" + gateway.port() : host)
              + "\r\n"
              + "X-Amz-Target: secretsmanager.GetSecretValue\r\n"
              + "Content-Type: application/x-amz-json-1.1\r\n"
              + "Content-Length: "
              + body.length()
              + "\r\n"
              + "Connection: close\r\n\r\n"
              + body;
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  @Test
  void theSecretsEndpointRefusesAnUnsignedCaller() throws Exception {
    String response = post("/_aws/secretsmanager", null);
    assertThat(status(response)).isEqualTo(400);
    assertThat(response)
        .contains("MissingAuthenticationTokenException")
        .doesNotContain("SecretString");
  }

  @Test
  void behindTheFrontDoorsKeysTheSecretsEndpointServesOnlyItsSignedCallers() {
    try (SecretsManagerClient admin =
        client(credentials.admin().accessKeyId(), credentials.admin().secretAccessKey())) {
      assertThat(admin.getSecretValue(g -> g.secretId("cursor-signing-key")).secretString())
          .isNotBlank();
    }
    try (SecretsManagerClient stranger = client("AKIAUNKNOWN000000000", "guess")) {
      assertThatThrownBy(() -> stranger.getSecretValue(g -> g.secretId("cursor-signing-key")))
          .isInstanceOfSatisfying(
              SecretsManagerException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void theGatewayRefusesAForeignHost() throws Exception {
    String foreign = post("/_aws/secretsmanager", "attacker.example");
    assertThat(status(foreign)).isEqualTo(403);
    assertThat(foreign).contains("FOREIGN_HOST").doesNotContain("SecretString");
    // a rebinding name that merely contains localhost is foreign too
    assertThat(status(post("/_aws/secretsmanager", "localhost.attacker.example:80")))
        .isEqualTo(403);
    for (String local :
        new String[] {
          "localhost", "127.0.0.1:" + gateway.port(), "tcu.localhost:" + gateway.port()
        }) {
      // not refused for the host: the unsigned call gets the secrets API's own answer
      assertThat(post("/_aws/secretsmanager", local))
          .as(local)
          .contains("MissingAuthenticationTokenException");
    }
  }

  private static SecretsManagerClient client(String key, String secret) {
    return AwsClients.build(
        SecretsManagerClient.builder(),
        new AwsTarget(
            Region.US_EAST_1,
            StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)),
            Optional.of(URI.create(gateway.url() + "/_aws/signed/secretsmanager"))));
  }
}
