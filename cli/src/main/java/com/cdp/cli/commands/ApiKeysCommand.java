package com.cdp.cli.commands;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.cli.CliException;
import com.cdp.links.ApiKeys;
import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
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
      ApiKeysCommand.Revoke.class,
      ApiKeysCommand.SetScope.class
    })
public final class ApiKeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (create, list, revoke, scope)");
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

  /** The organizations a key may act for: {@code --org} (repeatable) or all, said explicitly. */
  static final class ScopeOptions {
    @Option(
        names = "--org",
        required = true,
        paramLabel = "ORG",
        description = "An organization the key may create and manage links for (repeatable)")
    List<String> organizations;

    @Option(
        names = "--all-organizations",
        required = true,
        description = "The key may act for every organization (platform-wide senders only)")
    boolean all;

    ApiKeys.Scope scope() {
      if (all) {
        return ApiKeys.Scope.ALL;
      }
      try {
        return ApiKeys.Scope.of(organizations.stream().map(OrganizationId::of).toList());
      } catch (ValidationException e) {
        throw new CliException(e.getMessage());
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Issue a key for a calling service and print it (shown only this once).",
        "Name the organizations it may act for (--org ORG, repeatable) or --all-organizations."
      })
  static final class Create extends Common implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--service",
        required = true,
        description = "The calling service, e.g. statements")
    String service;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ScopeOptions scope;

    @Override
    public void run() {
      ApiKeys.Scope keyScope = scope.scope();
      ApiKeys.Issued issued = withKeys(keys -> keys.issue(service, keyScope));
      spec.commandLine().getOut().println(issued.key());
      spec.commandLine()
          .getErr()
          .println(
              "issued key "
                  + issued.record().id()
                  + " for service "
                  + service
                  + " for "
                  + keyScope
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
      out.printf(
          "%-12s  %-24s  %-24s  %-24s  %s%n", "ID", "SERVICE", "CREATED", "REVOKED", "SCOPE");
      for (ApiKeys.ApiKey key : withKeys(ApiKeys::list)) {
        out.printf(
            "%-12s  %-24s  %-24s  %-24s  %s%n",
            key.id(),
            key.service(),
            key.createdAt(),
            key.revokedAt().map(Object::toString).orElse("-"),
            key.scope());
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

  @Command(
      name = "scope",
      mixinStandardHelpOptions = true,
      description = {
        "Set the organizations a key may act for (replaces its scope).",
        "Keys issued before scopes existed may do nothing until they get one."
      })
  static final class SetScope extends Common implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The key's id (see 'api-keys list')")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ScopeOptions scope;

    @Override
    public void run() {
      ApiKeys.Scope keyScope = scope.scope();
      if (!withKeys(keys -> keys.setScope(id, keyScope))) {
        throw new CliException("no API key with id " + id);
      }
      spec.commandLine().getOut().println("key " + id + " may now act for " + keyScope);
    }
  }
}
