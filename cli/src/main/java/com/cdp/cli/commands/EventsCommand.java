package com.cdp.cli.commands;

import com.cdp.aws.AwsClients;
import com.cdp.aws.AwsTarget;
import com.cdp.cli.CliException;
import com.cdp.cli.env.Target;
import com.cdp.cli.env.TargetOptions;
import com.cdp.model.json.Json;
import java.net.URI;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** {@code ./cdp events put}: publishes one event on the platform bus with EventBridge PutEvents. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Publish events on the platform event bus.",
    subcommands = {EventsCommand.Put.class})
public final class EventsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (put)");
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Publish one event (prints its event id).")
  static final class Put implements Runnable {
    @Spec CommandSpec spec;

    @Option(
        names = "--detail-type",
        required = true,
        description = "The topic, e.g. account_transactionadded")
    String detailType;

    @Option(
        names = "--source",
        required = true,
        description = "e.g. cdp.platform or cdp.connector.cdp-transfer")
    String source;

    @Option(names = "--detail", required = true, description = "The detail JSON object")
    String detail;

    @Option(
        names = "--endpoint",
        description = "EventBridge endpoint override (default: the environment's)")
    URI endpoint;

    @Mixin TargetOptions targetOptions = new TargetOptions();

    @Override
    public void run() {
      try {
        if (!Json.tree(detail).isObject()) {
          throw new CliException("--detail must be a JSON object");
        }
      } catch (IllegalArgumentException e) {
        throw new CliException("--detail is not valid JSON: " + e.getMessage());
      }
      Target target = targetOptions.target(spec.commandLine().getErr());
      AwsTarget aws = target.aws("events");
      if (endpoint != null) {
        aws = new AwsTarget(aws.region(), aws.credentials(), java.util.Optional.of(endpoint));
      }
      try (EventBridgeClient events = AwsClients.build(EventBridgeClient.builder(), aws)) {
        PutEventsResponse response =
            events.putEvents(
                r ->
                    r.entries(
                        e ->
                            e.eventBusName(target.eventBus())
                                .source(source)
                                .detailType(detailType)
                                .detail(detail)));
        PutEventsResultEntry entry = response.entries().get(0);
        if (entry.errorCode() != null) {
          throw new CliException(
              "event refused: " + entry.errorCode() + ": " + entry.errorMessage());
        }
        spec.commandLine().getOut().println(entry.eventId());
      }
    }
  }
}
