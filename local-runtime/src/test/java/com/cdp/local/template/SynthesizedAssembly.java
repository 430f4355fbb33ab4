package com.cdp.local.template;

import java.nio.file.Path;

/** The synthesized local assembly, for tests in other packages. */
public final class SynthesizedAssembly {
  private SynthesizedAssembly() {}

  public static Path path() {
    return SynthesizedLocalTemplate.assembly();
  }
}
