package com.cdp.groups.task;

import com.cdp.model.wiring.Triggers;

/**
 * Where the reports of {@code group-assignments/<name>.csv} go: {@code
 * group-assignments/reports/<name>.report.json} and {@code <name>.results.csv} (sub-folders of the
 * upload are kept).
 */
final class ReportKeys {
  static final String PREFIX = Triggers.GROUP_ASSIGNMENT_FILES.prefix();
  static final String REPORTS = Triggers.GROUP_ASSIGNMENT_FILES.excludedPrefix();

  private ReportKeys() {}

  static String name(String key) {
    String name = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    int slash = name.lastIndexOf('/');
    if (slash == name.length() - 1) {
      name = name + "file";
    }
    return name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
        ? name.substring(0, name.length() - 4)
        : name;
  }

  static String report(String key) {
    return REPORTS + name(key) + ".report.json";
  }

  static String results(String key) {
    return REPORTS + name(key) + ".results.csv";
  }
}
