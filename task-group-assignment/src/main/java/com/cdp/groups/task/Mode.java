package com.cdp.groups.task;

/**
 * How a file is processed, decided by its name: {@code .dryrun.csv} changes nothing and reports
 * what would happen; {@code .partial.csv} applies the valid rows and reports the rest; any other
 * name applies the file only when every row is valid. {@code .partial.dryrun.csv} previews a
 * partial file.
 */
record Mode(boolean dryRun, boolean partial) {
  static Mode of(String key) {
    String name = key.toLowerCase(java.util.Locale.ROOT);
    boolean dryRun = name.endsWith(".dryrun.csv");
    String rest = dryRun ? name.substring(0, name.length() - ".dryrun.csv".length()) : name;
    boolean partial = dryRun ? rest.endsWith(".partial") : rest.endsWith(".partial.csv");
    return new Mode(dryRun, partial);
  }

  String id() {
    return (dryRun ? "dry_run" : "apply") + (partial ? "_partial" : "");
  }
}
