package com.cdp.groups.trigger;

import com.cdp.model.groups.AssignmentObject;

/**
 * Starts the group-assignment task for one uploaded object. In AWS an ECS {@code RunTask} on
 * Fargate ({@link EcsTaskLauncher}); locally the task runs in-process or as a child JVM.
 */
public interface TaskLauncher {
  /**
   * Starts the task (asynchronously: it returns once the task is accepted) and returns its id.
   * Implementations pass {@code object}'s {@link AssignmentObject#runId()} as an idempotency token
   * where the platform supports one.
   *
   * @throws LaunchException when the task could not be started
   */
  String launch(AssignmentObject object);

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
