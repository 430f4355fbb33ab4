package com.cdp.groups.task;

import com.cdp.groups.AssignmentRuns;
import com.cdp.model.groups.AssignmentObject;
import java.time.Duration;
import java.util.Optional;

/** The run record of an object version, as the task uses it. Production: {@link AssignmentRuns}. */
interface RunRecords {
  /** False when the version was processed already or another task holds it. */
  boolean begin(AssignmentObject object, String taskId, Duration lease);

  void complete(AssignmentObject object, String reportKey, String status);

  /** Frees the version after a failed run, so it can be processed again. */
  void abandon(AssignmentObject object, String taskId);

  /** The report of a processed version. */
  Optional<String> report(AssignmentObject object);

  static RunRecords of(AssignmentRuns runs) {
    return new RunRecords() {
      @Override
      public boolean begin(AssignmentObject object, String taskId, Duration lease) {
        return runs.begin(object, taskId, lease);
      }

      @Override
      public void complete(AssignmentObject object, String reportKey, String status) {
        runs.complete(object, reportKey, status);
      }

      @Override
      public void abandon(AssignmentObject object, String taskId) {
        runs.abandon(object, taskId);
      }

      @Override
      public Optional<String> report(AssignmentObject object) {
        return runs.find(object).flatMap(AssignmentRuns.Run::report);
      }
    };
  }
}
