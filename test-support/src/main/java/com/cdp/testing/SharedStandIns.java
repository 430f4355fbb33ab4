package com.cdp.testing;

/**
 * The stand-ins for test engines that cannot use JUnit Jupiter extensions (jqwik properties):
 * started on first use, stopped when the test JVM exits. Jupiter tests keep using {@link
 * StandInsExtension}; isolate by organization id ({@link TestIds}) as usual.
 */
public final class SharedStandIns {
  private static StandIns instance;

  private SharedStandIns() {}

  public static synchronized StandIns get() {
    if (instance == null) {
      StandIns started = StandIns.start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stand-ins-shutdown"));
      instance = started;
    }
    return instance;
  }
}
