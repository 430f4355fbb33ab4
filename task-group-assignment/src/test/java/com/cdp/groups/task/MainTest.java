package com.cdp.groups.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.config.EnvReader;
import com.cdp.model.groups.AssignmentObject;
import com.cdp.model.table.Tables;
import com.cdp.testing.StandIns;
import com.cdp.testing.StandInsExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The container entry point: configuration from the environment, one line out, an exit code. */
@ExtendWith(StandInsExtension.class)
class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env) {
    return Main.run(
        new EnvReader(env),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static Map<String, String> env(StandIns standIns, AssignmentObject object) {
    Map<String, String> env = new HashMap<>(object.toEnvironment());
    env.put("CDP_ENV", "local");
    env.put("TABLE_GROUPS", standIns.tableName(Tables.GROUPS));
    env.put("CDP_DYNAMODB_ENDPOINT", standIns.dynamoDbTarget().endpoint().orElseThrow().toString());
    env.put("CDP_S3_ENDPOINT", standIns.s3Target().endpoint().orElseThrow().toString());
    return env;
  }

  @Test
  void run_whenTheObjectIsNotNamed_exitsTwoWithTheMissingVariable() {
    assertThat(run(Map.of("CDP_ENV", "local", "ASSIGNMENT_ORGANIZATION", "tcu"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "group-assignment: cannot start: configuration: environment variable ASSIGNMENT_BUCKET is not set"
                + System.lineSeparator());
  }

  @Test
  void run_whenTheInputCannotBeRead_exitsTwoWithAClearMessage(StandIns standIns) {
    TaskHarness h = new TaskHarness(standIns);
    AssignmentObject missing =
        new AssignmentObject(
            h.org,
            h.bucket,
            "group-assignments/nothing.csv",
            Optional.of("v9"),
            Optional.empty(),
            Optional.empty());

    assertThat(run(env(standIns, missing))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "group-assignment: s3://"
                + h.bucket
                + "/group-assignments/nothing.csv (version v9): failed")
        .contains("does not exist");
  }

  @Test
  void run_whenTheFileIsValid_exitsZeroAndNamesTheReport(StandIns standIns) {
    TaskHarness h = new TaskHarness(standIns);
    AssignmentObject object = h.upload("main.csv", TaskHarness.csv("m1,Savers,add"));

    assertThat(run(env(standIns, object))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("completed (report group-assignments/reports/main.report.json)")
        .contains("1 added");
  }
}
