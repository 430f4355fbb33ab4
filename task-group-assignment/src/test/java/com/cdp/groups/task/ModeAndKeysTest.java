package com.cdp.groups.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModeAndKeysTest {
  @Test
  void mode_isDecidedByTheFileName() {
    assertThat(Mode.of("group-assignments/a.csv")).isEqualTo(new Mode(false, false));
    assertThat(Mode.of("group-assignments/a.partial.csv")).isEqualTo(new Mode(false, true));
    assertThat(Mode.of("group-assignments/a.dryrun.csv")).isEqualTo(new Mode(true, false));
    assertThat(Mode.of("group-assignments/a.PARTIAL.DRYRUN.csv")).isEqualTo(new Mode(true, true));
    assertThat(Mode.of("group-assignments/partial.csv")).isEqualTo(new Mode(false, false));
  }

  @Test
  void reportKeys_sitUnderReportsWithTheFileNameAndSubFolders() {
    assertThat(ReportKeys.report("group-assignments/june.csv"))
        .isEqualTo("group-assignments/reports/june.report.json");
    assertThat(ReportKeys.results("group-assignments/2026/june.dryrun.csv"))
        .isEqualTo("group-assignments/reports/2026/june.dryrun.results.csv");
  }
}
