package com.cdp.cli;

import com.cdp.cli.commands.EventsCommand;
import com.cdp.cli.commands.GroupsCommand;
import com.cdp.cli.commands.LocalCommand;
import com.cdp.cli.commands.LogsCommand;
import com.cdp.cli.commands.SessionCommand;
import com.cdp.cli.commands.UploadCommand;
import com.cdp.cli.env.TargetOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** {@code ./cdp}: run the platform locally and talk to it through its public interfaces. */
@Command(
    name = "cdp",
    mixinStandardHelpOptions = true,
    version = "cdp 0.1.0",
    description =
        "The CDP platform's command line: run it locally, upload files, publish and listen to events.",
    subcommands = {
      LocalCommand.class,
      SessionCommand.class,
      UploadCommand.class,
      com.cdp.cli.commands.MockTransactionsCommand.class,
      EventsCommand.class,
      com.cdp.cli.commands.ListenCommand.class,
      GroupsCommand.class,
      LogsCommand.class,
      com.cdp.cli.commands.ShortenCommand.class,
      com.cdp.cli.commands.LinksCommand.class,
      com.cdp.cli.commands.ApiKeysCommand.class,
      com.cdp.cli.commands.HubCommand.class,
      com.cdp.cli.commands.TransactionsCommand.class,
      com.cdp.cli.commands.FunctionsCommand.class,
      com.cdp.cli.commands.IamCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class CdpCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Builds the command line with the platform's error handling: one line on stderr, exit 1. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CdpCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          String message =
              e instanceof CliException
                  ? e.getMessage()
                  : e instanceof SdkException sdk ? awsFailure(sdk) : oneLine(e);
          commandLine.getErr().println("cdp: " + message);
          return 1;
        });
    return cli;
  }

  /**
   * An AWS call that failed, in one line naming the environment and the service or endpoint: {@code
   * [dev] DynamoDB: AccessDeniedException: ...} or {@code [dev] Unable to execute HTTP request:
   * Connect to dynamodb.us-east-1.amazonaws.com:443 failed}. Credentials never appear in either.
   */
  static String awsFailure(SdkException e) {
    String environment =
        "["
            + TargetOptions.currentEnvironment()
            + "] "
            + TargetOptions.currentCall().map(call -> call + ": ").orElse("");
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      var details = service.awsErrorDetails();
      return environment
          + details.serviceName()
          + ": "
          + details.errorCode()
          + ": "
          + firstLine(details.errorMessage());
    }
    String message = firstLine(e.getMessage());
    if (message.startsWith("Unable to load credentials")) {
      return environment
          + "no AWS credentials found (set AWS_PROFILE, run 'aws sso login', or export"
          + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)";
    }
    return environment + message;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
