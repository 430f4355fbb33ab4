package com.cdp.cli.commands;

import com.cdp.access.SessionService;
import com.cdp.aws.AwsClients;
import com.cdp.cli.CliException;
import com.cdp.cli.env.Target;
import com.cdp.cli.env.TargetOptions;
import com.cdp.model.ValidationException;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./cdp session create}: an end-user session token for trying the APIs in any environment.
 */
@Command(
    name = "session",
    mixinStandardHelpOptions = true,
    description = "End-user sessions, as the app's login makes them (local platform or --env ENV).",
    subcommands = {SessionCommand.Create.class})
public final class SessionCommand implements Runnable {
  /** Sessions made by the command line are marked so, and live at most an hour in AWS. */
  static final String CREATED_BY = "cli";

  static final Duration CLI_MAX_TTL = Duration.ofHours(1);

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

    @Option(
        names = "--ttl",
        description =
            "Lifetime: 30m, 1h, 2d (default ${DEFAULT-VALUE}; at most 1h outside the local platform)")
    String ttl = "1h";

    @Mixin TargetOptions targetOptions = new TargetOptions();

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
      Target target = targetOptions.target(spec.commandLine().getErr());
      if (!target.isLocal() && lifetime.compareTo(CLI_MAX_TTL) > 0) {
        throw new CliException(
            "--ttl is at most 1h for sessions made by the command line in " + target.environment());
      }
      try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(target.aws("dynamodb"))) {
        SessionService sessions =
            new SessionService(dynamoDb, target.table(Tables.SESSIONS), Clock.systemUTC());
        spec.commandLine()
            .getOut()
            .println(sessions.create(organization, memberId, lifetime, CREATED_BY).token());
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
