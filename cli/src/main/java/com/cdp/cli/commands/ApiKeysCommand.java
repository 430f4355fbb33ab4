package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.links.ApiKeys;
import com.cdp.model.ValidationException;
import com.cdp.model.aws.AwsClients;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.table.Tables;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./cdp api-keys create|list|revoke}: the API keys internal services use to create short
 * links, on the local platform. Only a keyed hash of each key is stored; a key is shown once.
 */
@Command(
    name = "api-keys",
    mixinStandardHelpOptions = true,
    description = "Issue, list and revoke the API keys that may create short links.",
    subcommands = {
      ApiKeysCommand.Create.class,
      ApiKeysCommand.ListKeys.class,
      ApiKeysCommand.Revoke.class
    })
public final class ApiKeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (create, list, revoke)");
  }

  /** Options every subcommand shares. */
  static class Common {
    @Option(
        names = "--data-dir",
        hidden = true,
        description = "The local platform's data directory")
    Path dataDir;

    <T> T withKeys(Function<ApiKeys, T> action) {
      LocalFiles local = LocalFiles.of(dataDir);
      String pepper = local.pepper();
      try (DynamoDbClient dynamoDb =
          AwsClients.dynamoDb(AwsTarget.local(local.endpoints().dynamoDbUrl()))) {
        return action.apply(
            new ApiKeys(dynamoDb, Tables.LINKS.physicalName("local"), pepper, Clock.systemUTC()));
      } catch (ValidationException e) {
        throw new CliException(e.getMessage());
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Issue a key for a calling service and print it (shown only this once).")
  static final class Create extends Common implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--service",
        required = true,
        description = "The calling service, e.g. statements")
    String service;

    @Override
    public void run() {
      ApiKeys.Issued issued = withKeys(keys -> keys.issue(service));
      spec.commandLine().getOut().println(issued.key());
      spec.commandLine()
          .getErr()
          .println(
              "issued key "
                  + issued.record().id()
                  + " for service "
                  + service
                  + " (store it now: it is not shown again)");
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List issued keys (never the keys themselves).")
  static final class ListKeys extends Common implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-12s  %-24s  %-24s  %s%n", "ID", "SERVICE", "CREATED", "REVOKED");
      for (ApiKeys.ApiKey key : withKeys(ApiKeys::list)) {
        out.printf(
            "%-12s  %-24s  %-24s  %s%n",
            key.id(),
            key.service(),
            key.createdAt(),
            key.revokedAt().map(Object::toString).orElse("-"));
      }
      out.flush();
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a key by id (effective immediately).")
  static final class Revoke extends Common implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The key's id (see 'api-keys list')")
    String id;

    @Override
    public void run() {
      if (!withKeys(keys -> keys.revoke(id))) {
        throw new CliException("no API key with id " + id);
      }
      spec.commandLine().getOut().println("revoked " + id);
    }
  }
}
