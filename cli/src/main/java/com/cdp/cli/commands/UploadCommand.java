package com.cdp.cli.commands;

import com.cdp.aws.S3Clients;
import com.cdp.cli.CliException;
import com.cdp.cli.env.Target;
import com.cdp.cli.env.TargetOptions;
import com.cdp.model.ValidationException;
import com.cdp.model.id.OrganizationId;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin TargetOptions targetOptions = new TargetOptions();

  @Option(
      names = "--no-wait",
      description = "Return after the upload instead of waiting for the file's final report")
  boolean noWait;

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      description =
          "How long to wait for the final report (ISO duration, default ${DEFAULT-VALUE})")
  java.time.Duration timeout;

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
    Target target = targetOptions.target(spec.commandLine().getErr());
    String bucket = target.buckets().dataDelivery(organization);
    String key = prefix + file.getFileName();
    java.io.PrintWriter out = spec.commandLine().getOut();
    // The flow's id travels with the object (metadata transaction-id): every service that handles
    // the file logs under it, so `./cdp logs trace ID` shows the whole flow.
    String transactionId = com.cdp.logging.TransactionIds.newId();
    try (S3Client s3 = S3Clients.s3(target.aws("s3"))) {
      java.time.Instant uploadedAt = java.time.Instant.now();
      try {
        put(s3, bucket, key, transactionId, spec.commandLine().getErr());
      } catch (NoSuchBucketException e) {
        throw new CliException(
            "organization "
                + organization
                + " has no data-delivery bucket in "
                + target.environment()
                + (target.isLocal() ? ": restart './cdp local' with --org " + organization : ""));
      }
      out.println("uploaded s3://" + bucket + "/" + key);
      out.println("transactionId: " + transactionId);
      if (noWait) {
        return;
      }
      out.flush();
      UploadOutcome.await(s3, bucket, key, uploadedAt, timeout, out);
    } catch (java.io.IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private void put(
      S3Client s3, String bucket, String key, String transactionId, java.io.PrintWriter progress)
      throws java.io.IOException {
    long size = Files.size(file);
    RequestBody body =
        size < UploadProgress.SHOW_ABOVE_BYTES
            ? RequestBody.fromFile(file)
            : RequestBody.fromContentProvider(
                () -> UploadProgress.stream(file, size, progress), size, "text/csv");
    s3.putObject(
        r ->
            r.bucket(bucket)
                .key(key)
                .contentType("text/csv")
                .metadata(java.util.Map.of(com.cdp.logging.TransactionIds.METADATA, transactionId)),
        body);
  }
}
