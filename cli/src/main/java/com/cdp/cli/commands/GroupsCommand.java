package com.cdp.cli.commands;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.aws.S3Clients;
import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.groups.task.GroupDirectory;
import com.cdp.local.standin.LocalResources;
import com.cdp.model.ValidationException;
import com.cdp.model.config.Buckets;
import com.cdp.model.groups.Enrollment;
import com.cdp.model.groups.TileGroup;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.table.Tables;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./cdp groups}: defines an organization's tile groups and members on the running local
 * platform, and shows them. (In AWS the management portal owns these definitions; membership
 * changes go through uploaded group-assignment files.)
 */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description = "Tile groups and members on the local platform (define, enroll, list, show).",
    subcommands = {
      GroupsCommand.Define.class,
      GroupsCommand.Enroll.class,
      GroupsCommand.ListGroups.class,
      GroupsCommand.Show.class
    })
public final class GroupsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required (define, enroll, list, show)");
  }

  /** Runs {@code action} against the local platform's groups table. */
  static <T> T withDirectory(Function<GroupDirectory, T> action) {
    LocalEndpoints endpoints = LocalEndpoints.load();
    try (DynamoDbClient dynamoDb = AwsClients.dynamoDb(AwsTarget.local(endpoints.dynamoDbUrl()))) {
      return action.apply(
          new GroupDirectory(dynamoDb, Tables.GROUPS.physicalName("local"), Clock.systemUTC()));
    } catch (ValidationException e) {
      throw new CliException(e.getMessage());
    } catch (SdkClientException e) {
      throw new CliException(
          "cannot reach the local platform's DynamoDB ("
              + endpoints.dynamoDbUrl()
              + "): is './cdp local' running?");
    }
  }

  static OrganizationId org(String value) {
    try {
      return OrganizationId.of(value);
    } catch (ValidationException e) {
      throw new CliException(e.getMessage());
    }
  }

  @Command(
      name = "define",
      mixinStandardHelpOptions = true,
      description = {
        "Define tile groups of an organization (existing ones are kept as they are).",
        "Also creates the organization's data-delivery bucket, so files can be uploaded for it."
      })
  static final class Define implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--org", required = true, description = "Organization id, e.g. tcu")
    String org;

    @Option(names = "--group", required = true, description = "Tile group name (repeatable)")
    List<String> groups;

    @Option(names = "--description", description = "Description of the new group(s)")
    String description;

    @Override
    public void run() {
      OrganizationId organization = org(org);
      List<TileGroupName> names;
      try {
        names = groups.stream().map(g -> TileGroupName.of(g.strip())).toList();
      } catch (ValidationException e) {
        throw new CliException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      withDirectory(
          directory -> {
            for (TileGroupName name : names) {
              boolean created = directory.defineTileGroup(organization, name, description);
              out.println((created ? "defined " : "exists  ") + organization + " / " + name);
            }
            return null;
          });
      try (S3Client s3 = S3Clients.s3(AwsTarget.local(LocalEndpoints.load().s3Url()))) {
        LocalResources.createBucket(s3, Buckets.of("local").dataDelivery(organization));
      }
    }
  }

  @Command(
      name = "enroll",
      mixinStandardHelpOptions = true,
      description = "Set members' enrollment (full, partial or none).")
  static final class Enroll implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--org", required = true, description = "Organization id, e.g. tcu")
    String org;

    @Option(names = "--member", required = true, description = "Member id (repeatable)")
    List<String> members;

    @Option(
        names = "--enrollment",
        description = "full, partial or none (default ${DEFAULT-VALUE})")
    String enrollment = "full";

    @Override
    public void run() {
      OrganizationId organization = org(org);
      Enrollment level;
      List<MemberId> ids;
      try {
        level = Enrollment.parse(enrollment);
        ids = members.stream().map(MemberId::of).toList();
      } catch (ValidationException e) {
        throw new CliException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      withDirectory(
          directory -> {
            for (MemberId id : ids) {
              directory.setEnrollment(organization, id, level, "cdp groups enroll");
              out.println(organization + " / " + id + ": " + level.id());
            }
            return null;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List an organization's tile groups with their member counts.")
  static final class ListGroups implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--org", required = true, description = "Organization id, e.g. tcu")
    String org;

    @Override
    public void run() {
      OrganizationId organization = org(org);
      PrintWriter out = spec.commandLine().getOut();
      withDirectory(
          directory -> {
            List<TileGroup> groups = directory.tileGroups(organization);
            if (groups.isEmpty()) {
              out.println(
                  "no tile groups for "
                      + organization
                      + " (define some with './cdp groups define')");
            }
            for (TileGroup g : groups) {
              int members = directory.members(organization, g.name()).size();
              out.printf(
                  "%-24s %6d member%s  %s%n",
                  g.name(), members, members == 1 ? " " : "s", g.description());
            }
            return null;
          });
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a tile group's members, or a member's enrollment and groups.")
  static final class Show implements Runnable {
    @Spec CommandSpec spec;

    @Option(names = "--org", required = true, description = "Organization id, e.g. tcu")
    String org;

    @Option(names = "--group", description = "Tile group name")
    String group;

    @Option(names = "--member", description = "Member id")
    String member;

    @Override
    public void run() {
      OrganizationId organization = org(org);
      if ((group == null) == (member == null)) {
        throw new CliException("give either --group or --member");
      }
      PrintWriter out = spec.commandLine().getOut();
      withDirectory(
          directory -> {
            if (group != null) {
              TileGroupName name = TileGroupName.of(group.strip());
              if (directory.tileGroups(organization).stream()
                  .noneMatch(g -> g.name().equals(name))) {
                throw new CliException("unknown tile group '" + name + "' for " + organization);
              }
              directory.members(organization, name).forEach(out::println);
            } else {
              MemberId id = MemberId.of(member);
              out.println("enrollment: " + directory.enrollment(organization, id).id());
              out.println(
                  "groups:     "
                      + String.join(
                          ", ",
                          directory.groupsOf(organization, id).stream()
                              .map(TileGroupName::value)
                              .toList()));
            }
            return null;
          });
    }
  }
}
