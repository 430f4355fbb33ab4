package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.model.ValidationException;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.session.SessionService;
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code ./cdp session create}: an end-user session token for trying the APIs locally. */
@Command(
    name = "session",
    mixinStandardHelpOptions = true,
    description = "End-user sessions on the local platform.",
    subcommands = {SessionCommand.Create.class})
public final class SessionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (create)");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a session and print its token.")
  static final class Create implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--org", required = true, description = "Organization id, e.g. tcu")
    String org;

    @Option(names = "--member", required = true, description = "Member id")
    String member;

    @Option(names = "--ttl", description = "Lifetime: 30m, 1h, 2d (default ${DEFAULT-VALUE})")
    String ttl = "1h";

    @Override
    public void run() {
      OrganizationId organization;
      MemberId memberId;
      Duration lifetime;
      try {
        organization = OrganizationId.of(org);
        memberId = MemberId.of(member);
        lifetime = parseDuration(ttl);
      } catch (ValidationException e) {
        throw new CliException(e.getMessage());
      }
      LocalEndpoints endpoints = LocalEndpoints.load();
      try (DynamoDbClient dynamoDb =
          AwsClients.dynamoDb(AwsTarget.local(endpoints.dynamoDbUrl()))) {
        SessionService sessions =
            new SessionService(dynamoDb, Tables.SESSIONS.physicalName("local"), Clock.systemUTC());
        spec.commandLine()
            .getOut()
            .println(sessions.create(organization, memberId, lifetime).token());
      } catch (ValidationException e) {
        throw new CliException(e.getMessage());
      }
    }
  }

  /** Parses {@code 30s}, {@code 30m}, {@code 1h}, {@code 2d} or an ISO-8601 duration. */
  static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d{1,6}[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new ValidationException(
          "invalid_ttl", "ttl must look like 30m, 1h or 2d (got '" + text + "')");
    }
  }
}
