package com.cdp.groups.trigger;

import com.cdp.model.groups.AssignmentObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Records launches; answers with a task id or whatever {@code behaviour} does. */
final class RecordingLauncher implements TaskLauncher {
  final List<AssignmentObject> launched = new CopyOnWriteArrayList<>();
  final List<String> transactionIds = new CopyOnWriteArrayList<>();
  private volatile Function<AssignmentObject, String> behaviour = o -> "task-" + o.runId();

  RecordingLauncher failingWith(RuntimeException e) {
    behaviour =
        o -> {
          throw e;
        };
    return this;
  }

  RecordingLauncher answering(Function<AssignmentObject, String> answer) {
    behaviour = answer;
    return this;
  }

  RecordingLauncher succeeding() {
    behaviour = o -> "task-" + o.runId();
    return this;
  }

  @Override
  public String launch(AssignmentObject object, String transactionId) {
    launched.add(object);
    transactionIds.add(transactionId);
    return behaviour.apply(object);
  }
}
