package com.cdp.groups.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.cdp.groups.AssignmentRuns;
import com.cdp.logging.InMemoryLogPublisher;
import com.cdp.logging.PlatformLogger;
import com.cdp.model.config.Buckets;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.id.OrganizationId;
import com.cdp.model.json.Json;
import com.cdp.model.table.Tables;
import com.cdp.testing.Fixtures;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import com.cdp.testing.TestIds;
import com.cdp.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The handler driven by a real S3 notification (as Lambda deserializes it). */
@ExtendWith(StandInsExtension.class)
class GroupAssignmentTriggerHandlerTest {
  private final RecordingLauncher launcher = new RecordingLauncher();
  private final InMemoryLogPublisher logs = new InMemoryLogPublisher();
  private OrganizationId org;
  private GroupAssignmentTriggerHandler handler;

  @BeforeEach
  void setUp(StandIns standIns) {
    org = TestIds.org();
    AssignmentRuns runs =
        new AssignmentRuns(
            standIns.dynamoDb(), standIns.tableName(Tables.GROUPS), Clock.systemUTC());
    PlatformLogger logger = PlatformLogger.inMemory(logs);
    handler =
        new GroupAssignmentTriggerHandler(
            new TriggerService(Buckets.of("local"), runs, launcher, logger, Duration.ofMinutes(2)),
            logger);
  }

  private S3Event event() {
    String json =
        Fixtures.text(
            "events/s3-group-assignment-put.json",
            Map.of("bucket", Buckets.of("local").dataDelivery(org)));
    return LambdaEventSerializers.serializerFor(S3Event.class, getClass().getClassLoader())
        .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void handleRequest_startsTheTaskForTheUploadWithTheDecodedKeyAndSkipsTheReport() {
    handler.handleRequest(event(), new TestLambdaContext("group-assignment-trigger"));

    assertThat(launcher.launched).hasSize(1);
    AssignmentObject object = launcher.launched.get(0);
    assertThat(object.key()).isEqualTo("group-assignments/june members(2).csv");
    assertThat(object.versionId()).contains("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY");
    assertThat(object.eTag()).contains("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(object.organization()).isEqualTo(org);
  }

  @Test
  void handleRequest_logsTheLambdaRequestIdAsFunctionRequestId() {
    TestLambdaContext context = new TestLambdaContext("group-assignment-trigger");
    handler.handleRequest(event(), context);
    assertThat(logs.messages())
        .singleElement()
        .satisfies(
            m ->
                assertThat(Json.tree(m).get("function_request_id").asText())
                    .isEqualTo(context.getAwsRequestId()));
  }

  @Test
  void handleRequest_whenTheSameEventIsDeliveredAgain_startsNothingNew() {
    handler.handleRequest(event(), new TestLambdaContext("group-assignment-trigger"));
    handler.handleRequest(event(), new TestLambdaContext("group-assignment-trigger"));
    assertThat(launcher.launched).hasSize(1);
  }

  @Test
  void handleRequest_whenTheTaskCannotStart_failsTheInvocationSoLambdaRetries() {
    launcher.failingWith(
        new TaskLauncher.LaunchException("RunTask refused: bad subnet", false, null));
    assertThatThrownBy(
            () -> handler.handleRequest(event(), new TestLambdaContext("group-assignment-trigger")))
        .hasMessageContaining("1 upload(s) could not be handled")
        .hasMessageContaining("bad subnet");
    assertThat(logs.messages()).anySatisfy(m -> assertThat(m).contains("could not start the task"));
  }
}
