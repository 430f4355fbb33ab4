package com.cdp.cli.env;

import com.cdp.aws.AwsClients;
import com.cdp.cli.CliException;
import com.cdp.model.config.ResourceNames;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The outputs of an environment's stack ({@code cdp-ENV}), read with CloudFormation. */
final class StackOutputs {
  private StackOutputs() {}

  static Map<String, String> describe(Target target) {
    String stack = ResourceNames.stack(target.environment());
    try (CloudFormationClient cloudFormation =
        AwsClients.build(CloudFormationClient.builder(), target.aws("cloudformation"))) {
      Stack found = cloudFormation.describeStacks(r -> r.stackName(stack)).stacks().get(0);
      Map<String, String> outputs = new HashMap<>();
      for (Output o : found.outputs()) {
        outputs.put(o.outputKey(), o.outputValue());
      }
      return outputs;
    } catch (SdkException e) {
      throw new CliException(
          "environment "
              + target.environment()
              + ": cannot read the outputs of stack "
              + stack
              + " ("
              + target.describe("cloudformation")
              + "): "
              + firstLine(e.getMessage()));
    }
  }

  static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
