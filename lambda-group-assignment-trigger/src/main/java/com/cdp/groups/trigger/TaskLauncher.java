package com.cdp.groups.trigger;

import com.cdp.model.groups.AssignmentObject;

/**
 * Starts the group-assignment task for one uploaded object. In AWS an ECS {@code RunTask} on
 * Fargate ({@link EcsTaskLauncher}); locally the task runs in-process or as a child JVM.
 */
interface TaskLauncher {
  /**
   * Starts the task (asynchronously: it returns once the task is accepted) and returns its id.
   * Implementations pass {@code object}'s {@link AssignmentObject#runId()} as an idempotency token
   * where the platform supports one.
   *
   * @throws LaunchException when the task could not be started
   */
  default String launch(AssignmentObject object) {
    return launch(object, object.transactionId());
  }

  /**
   * As {@link #launch(AssignmentObject)}, passing {@code transactionId} (the flow's id) to the task
   * in the {@link AssignmentObject#ENV_TRANSACTION_ID} override.
   */
  String launch(AssignmentObject object, String transactionId);

  /** The task could not be started; {@code retryable} when trying again later may work. */
  final class LaunchException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public LaunchException(String message, boolean retryable, Throwable cause) {
      super(message, cause);
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }
}
