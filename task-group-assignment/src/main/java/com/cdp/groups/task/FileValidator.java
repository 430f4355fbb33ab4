package com.cdp.groups.task;

import com.cdp.csv.StrictCsvReader;
import com.cdp.model.ValidationException;
import com.cdp.model.groups.TileGroupName;
import com.cdp.model.id.MemberId;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams an assignment file once and validates all of it (CONTRACTS 1b): header (case-insensitive
 * names in any order, unknown columns ignored with a warning), each row's member id, tile group and
 * action, and then the rows against each other: a repeated (member, group, action) is a duplicate
 * of its first line; add and remove of the same (member, group) contradict each other and every row
 * of that pair is rejected.
 */
final class FileValidator {
  static final String MEMBER_ID = "memberId";
  static final String TILE_GROUP = "tileGroup";
  static final String ACTION = "action";
  static final List<String> REQUIRED = List.of(MEMBER_ID, TILE_GROUP, ACTION);

  /** Longest cell kept; longer ones make their row malformed. */
  static final int MAX_FIELD_LENGTH = 4096;

  /** Longest physical line kept, and most lines one quoted record may span. */
  static final int MAX_LINE_CHARS = 16 * 1024;

  static final int MAX_RECORD_LINES = 10;

  private final Map<String, TileGroupName> tileGroups;
  private final List<TileGroupName> groupList;
  private final Map<String, String> tileGroupsByLowerCase = new HashMap<>();
  private final int maxRows;

  /**
   * @param tileGroups the organization's tile groups
   * @param maxRows data rows above which the whole file is refused (bounds the task's memory)
   */
  FileValidator(List<TileGroupName> tileGroups, int maxRows) {
    this.tileGroups = new HashMap<>();
    this.groupList = List.copyOf(tileGroups);
    for (TileGroupName g : tileGroups) {
      this.tileGroups.put(g.value(), g);
      tileGroupsByLowerCase.put(g.value().toLowerCase(Locale.ROOT), g.value());
    }
    this.maxRows = maxRows;
  }

  /**
   * What a pass over the file found besides its rows: problems that make the whole file unusable,
   * warnings, the number of data rows, and how many of them are invalid on their own.
   */
  record Scan(List<String> fileProblems, List<String> warnings, int rows, long rejectedOnOwn) {
    Scan {
      fileProblems = List.copyOf(fileProblems);
      warnings = List.copyOf(warnings);
    }

    /** The cross-check applies only to a file read to its end without a file problem. */
    boolean crossCheck() {
      return fileProblems.isEmpty();
    }
  }

  /** Where a pass hands each data row, in file order; false stops the pass. */
  interface RowSink {
    boolean accept(AssignmentRow row);
  }

  /** The tile groups, in a fixed order (a row's group is numbered by its index here). */
  List<TileGroupName> groups() {
    return groupList;
  }

  /**
   * Reads and validates the whole file into memory, duplicates and contradictions included (tests
   * and small inputs; the task streams with {@link #scan} and a {@link RowIndex} instead).
   */
  AssignmentFile read(InputStream input) throws IOException {
    List<AssignmentRow> rows = new ArrayList<>();
    RowIndex index = new RowIndex(groups());
    Scan scan =
        scan(
            input,
            row -> {
              rows.add(row);
              if (row.isValid()) {
                index.add(row);
              }
              return true;
            });
    if (scan.crossCheck()) {
      for (AssignmentRow row : rows) {
        if (row.isValid()) {
          index.check(row);
        }
      }
    }
    return new AssignmentFile(rows, scan.fileProblems(), scan.warnings());
  }

  /**
   * Streams the file once, handing each data row, validated on its own (not against the other
   * rows), to {@code sink}. Holds one record at a time. The same bytes give the same rows, in the
   * same order, with the same ordinals, in every pass.
   */
  Scan scan(InputStream input, RowSink sink) throws IOException {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    StrictCsvReader csv =
        StrictCsvReader.of(new InputStreamReader(input, decoder), MAX_LINE_CHARS, MAX_RECORD_LINES);
    List<String> fileProblems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int lastLine = 1;
    int rows = 0;
    long rejected = 0;
    try {
      StrictCsvReader.Row header = csv.next();
      while (header != null && isBlank(header)) {
        header = csv.next();
      }
      if (header == null) {
        fileProblems.add(
            "the file is empty: expected a header row with memberId, tileGroup, action");
        return new Scan(fileProblems, warnings, rows, rejected);
      }
      if (header.malformed()) {
        fileProblems.add("line " + header.line() + ": malformed header: " + header.problem());
        return new Scan(fileProblems, warnings, rows, rejected);
      }
      Map<String, Integer> columns = columns(header, fileProblems, warnings);
      if (!fileProblems.isEmpty()) {
        return new Scan(fileProblems, warnings, rows, rejected);
      }
      int width = header.fields().length;
      csv.expectFields(width);
      for (StrictCsvReader.Row record = csv.next(); record != null; record = csv.next()) {
        lastLine = (int) record.line();
        if (isBlank(record)) {
          continue;
        }
        if (rows == maxRows) {
          fileProblems.add(
              "the file has more than "
                  + maxRows
                  + " rows (line "
                  + record.line()
                  + "): split it into smaller files");
          return new Scan(fileProblems, warnings, rows, rejected);
        }
        AssignmentRow row = row(record, columns);
        row.ordinal = rows++;
        if (!row.isValid()) {
          rejected++;
        }
        if (!sink.accept(row)) {
          break;
        }
      }
    } catch (CharacterCodingException e) {
      fileProblems.add("the file is not valid UTF-8 (after line " + lastLine + ")");
      return new Scan(fileProblems, warnings, rows, rejected);
    }
    return new Scan(fileProblems, warnings, rows, rejected);
  }

  /** A blank line, or a line of empty cells. */
  private static boolean isBlank(StrictCsvReader.Row record) {
    if (record.blank()) {
      return true;
    }
    if (record.malformed()) {
      return false;
    }
    for (String f : record.fields()) {
      if (!f.isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Integer> columns(
      StrictCsvReader.Row header, List<String> fileProblems, List<String> warnings) {
    Map<String, Integer> columns = new LinkedHashMap<>();
    String[] fields = header.fields();
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].strip();
      String canonical =
          REQUIRED.stream().filter(r -> r.equalsIgnoreCase(name)).findFirst().orElse(null);
      if (canonical == null) {
        warnings.add(
            "unknown column '" + Cells.preview(name) + "' (column " + (i + 1) + ") ignored");
      } else if (columns.putIfAbsent(canonical, i) != null) {
        fileProblems.add("the header names column " + canonical + " twice");
      }
    }
    for (String required : REQUIRED) {
      if (!columns.containsKey(required)) {
        fileProblems.add(
            "the header has no " + required + " column (required: memberId, tileGroup, action)");
      }
    }
    return columns;
  }

  private AssignmentRow row(StrictCsvReader.Row record, Map<String, Integer> columns) {
    int line = (int) record.line();
    if (record.malformed()) {
      return AssignmentRow.invalid(line, "", "", "", StrictCsvReader.ROW, record.problem());
    }
    String[] fields = record.fields();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].length() > MAX_FIELD_LENGTH) {
        return AssignmentRow.invalid(
            line,
            "",
            "",
            "",
            StrictCsvReader.ROW,
            "field " + (i + 1) + " is longer than " + MAX_FIELD_LENGTH + " characters");
      }
    }
    String memberCell = cell(fields, columns.get(MEMBER_ID));
    String groupCell = cell(fields, columns.get(TILE_GROUP));
    String actionCell = cell(fields, columns.get(ACTION));
    List<String> problemColumns = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    MemberId member = null;
    try {
      member = MemberId.of(memberCell);
    } catch (ValidationException e) {
      problemColumns.add(MEMBER_ID);
      reasons.add(
          memberCell.isEmpty()
              ? "memberId is required"
              : "memberId must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-' (got '"
                  + Cells.preview(memberCell)
                  + "')");
    }
    TileGroupName group = tileGroups.get(groupCell);
    if (group == null) {
      problemColumns.add(TILE_GROUP);
      if (groupCell.isEmpty()) {
        reasons.add("tileGroup is required");
      } else {
        String similar = tileGroupsByLowerCase.get(groupCell.toLowerCase(Locale.ROOT));
        reasons.add(
            "unknown tile group '"
                + Cells.preview(groupCell)
                + "'"
                + (similar == null
                    ? ""
                    : " (names are case-sensitive: did you mean '" + similar + "'?)"));
      }
    }
    Action action = Action.parse(actionCell).orElse(null);
    if (action == null) {
      problemColumns.add(ACTION);
      reasons.add(
          actionCell.isEmpty()
              ? "action is required (add or remove)"
              : "action must be add or remove (got '" + Cells.preview(actionCell) + "')");
    }
    if (!reasons.isEmpty()) {
      return AssignmentRow.invalid(
          line,
          memberCell,
          groupCell,
          actionCell,
          String.join(",", problemColumns),
          String.join("; ", reasons));
    }
    return AssignmentRow.valid(line, member, group, action);
  }

  private static String cell(String[] fields, int index) {
    return index < fields.length ? fields[index].strip() : "";
  }
}
