package com.cdp.cli.commands;

import com.cdp.cli.CliException;
import com.cdp.cli.LocalEndpoints;
import com.cdp.model.ValidationException;
import com.cdp.model.aws.AwsTarget;
import com.cdp.model.aws.S3Clients;
import com.cdp.model.config.Buckets;
import com.cdp.model.id.OrganizationId;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * {@code ./cdp upload}: drops a file into an organization's data-delivery bucket, as a credit union
 * does.
 */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description =
        "Upload a file to an organization's data-delivery bucket (S3) under transactions/ or group-assignments/.")
public final class UploadCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--org", required = true, description = "Organization id, e.g. tcu")
  String org;

  @Parameters(index = "0", description = "transactions | group-assignments")
  String kind;

  @Parameters(index = "1", description = "The CSV file to upload")
  Path file;

  @Override
  public void run() {
    OrganizationId organization;
    try {
      organization = OrganizationId.of(org);
    } catch (ValidationException e) {
      throw new CliException(e.getMessage());
    }
    String prefix =
        switch (kind) {
          case "transactions" -> "transactions/";
          case "group-assignments" -> "group-assignments/";
          default ->
              throw new CliException(
                  "the upload kind must be 'transactions' or 'group-assignments' (got '"
                      + kind
                      + "')");
        };
    if (!Files.isRegularFile(file)) {
      throw new CliException("no such file: " + file);
    }
    String bucket = Buckets.of("local").dataDelivery(organization);
    String key = prefix + file.getFileName();
    LocalEndpoints endpoints = LocalEndpoints.load();
    // The flow's id travels with the object (metadata transaction-id): every service that handles
    // the file logs under it, so `./cdp logs trace ID` shows the whole flow.
    String transactionId = com.cdp.logging.TransactionIds.newId();
    try (S3Client s3 = S3Clients.s3(AwsTarget.local(endpoints.s3Url()))) {
      s3.putObject(
          r ->
              r.bucket(bucket)
                  .key(key)
                  .contentType("text/csv")
                  .metadata(
                      java.util.Map.of(com.cdp.logging.TransactionIds.METADATA, transactionId)),
          RequestBody.fromFile(file));
    } catch (NoSuchBucketException e) {
      throw new CliException(
          "organization "
              + organization
              + " has no data-delivery bucket: restart './cdp local' with --org "
              + organization);
    }
    spec.commandLine().getOut().println("uploaded s3://" + bucket + "/" + key);
    spec.commandLine().getOut().println("transactionId: " + transactionId);
  }
}
