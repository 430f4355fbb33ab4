package com.cdp.groups.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.cdp.model.groups.TileGroupName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONTRACTS 1b, one rule at a time. */
class FileValidatorTest {
  private static final List<TileGroupName> GROUPS =
      List.of(TileGroupName.of("Savers"), TileGroupName.of("Young Adults"));

  private static AssignmentFile read(String text) throws IOException {
    return read(text.getBytes(StandardCharsets.UTF_8), 1000);
  }

  private static AssignmentFile read(byte[] bytes, int maxRows) throws IOException {
    return new FileValidator(GROUPS, maxRows).read(new ByteArrayInputStream(bytes));
  }

  private static AssignmentRow only(AssignmentFile file) {
    assertThat(file.rows()).hasSize(1);
    return file.rows().get(0);
  }

  @Test
  void read_whenRowsAreValid_acceptsThemWithTheirLines() throws IOException {
    AssignmentFile file =
        read("memberId,tileGroup,action\nm-1,Savers,add\nm_2,Young Adults,REMOVE\n");
    assertThat(file.hasProblems()).isFalse();
    assertThat(file.rows()).extracting(r -> r.line).containsExactly(2, 3);
    assertThat(file.rows().get(1).action).isEqualTo(Action.REMOVE);
    assertThat(file.rows().get(1).group.value()).isEqualTo("Young Adults");
  }

  @Test
  void read_whenHeaderIsInAnyOrderAndCase_mapsTheColumns() throws IOException {
    AssignmentRow row = only(read("ACTION,tilegroup,MemberID\nAdd,Savers,m1\n"));
    assertThat(row.isValid()).isTrue();
    assertThat(row.member.value()).isEqualTo("m1");
  }

  @Test
  void read_whenHeaderHasUnknownColumns_ignoresThemWithAWarning() throws IOException {
    AssignmentFile file = read("memberId,note,tileGroup,action\nm1,hello,Savers,add\n");
    assertThat(file.warnings()).singleElement().asString().contains("note");
    assertThat(only(file).isValid()).isTrue();
  }

  @Test
  void read_whenARequiredColumnIsMissing_rejectsTheWholeFile() throws IOException {
    AssignmentFile file = read("memberId,tileGroup\nm1,Savers\n");
    assertThat(file.fileProblems()).singleElement().asString().contains("no action column");
    assertThat(file.rows()).isEmpty();
  }

  @Test
  void read_whenAColumnIsNamedTwice_rejectsTheWholeFile() throws IOException {
    assertThat(read("memberId,memberid,tileGroup,action\n").fileProblems())
        .anySatisfy(p -> assertThat(p).contains("twice"));
  }

  @Test
  void read_whenFileIsEmpty_rejectsIt() throws IOException {
    assertThat(read("").fileProblems()).singleElement().asString().contains("empty");
  }

  @Test
  void read_whenMemberIdIsBad_rejectsTheRowNamingTheColumn() throws IOException {
    AssignmentRow row = only(read("memberId,tileGroup,action\nm 1!,Savers,add\n"));
    assertThat(row.outcome).isEqualTo(Outcome.REJECTED);
    assertThat(row.column).isEqualTo("memberId");
    assertThat(row.reason).contains("memberId must be").contains("m 1!");
  }

  @Test
  void read_whenMemberIdIsTooLong_rejectsTheRow() throws IOException {
    AssignmentRow row =
        only(read("memberId,tileGroup,action\n" + "a".repeat(65) + ",Savers,add\n"));
    assertThat(row.column).isEqualTo("memberId");
  }

  @Test
  void read_whenTileGroupIsUnknown_rejectsTheRowAndSuggestsACaseMatch() throws IOException {
    AssignmentFile file = read("memberId,tileGroup,action\nm1,Spenders,add\nm2,savers,add\n");
    assertThat(file.rows().get(0).reason).isEqualTo("unknown tile group 'Spenders'");
    assertThat(file.rows().get(1).reason).contains("did you mean 'Savers'");
    assertThat(file.rows()).allSatisfy(r -> assertThat(r.column).isEqualTo("tileGroup"));
  }

  @Test
  void read_whenActionIsNeitherAddNorRemove_rejectsTheRow() throws IOException {
    AssignmentRow row = only(read("memberId,tileGroup,action\nm1,Savers,delete\n"));
    assertThat(row.column).isEqualTo("action");
    assertThat(row.reason).contains("add or remove").contains("delete");
  }

  @Test
  void read_whenSeveralCellsAreBad_reportsThemAllOnTheRow() throws IOException {
    AssignmentRow row = only(read("memberId,tileGroup,action\n,Nope,\n"));
    assertThat(row.column).isEqualTo("memberId,tileGroup,action");
    assertThat(row.reason)
        .contains("memberId is required")
        .contains("unknown tile group")
        .contains("action is required");
  }

  @Test
  void read_whenARowIsRepeated_rejectsTheLaterCopiesAsDuplicates() throws IOException {
    AssignmentFile file =
        read("memberId,tileGroup,action\nm1,Savers,add\nm1,Savers,ADD\nm1,Savers,add\n");
    assertThat(file.rows().get(0).isValid()).isTrue();
    assertThat(file.rows().subList(1, 3))
        .allSatisfy(r -> assertThat(r.reason).isEqualTo("duplicate of line 2"));
  }

  @Test
  void read_whenAPairIsAddedAndRemoved_rejectsEveryRowOfThePair() throws IOException {
    AssignmentFile file =
        read(
            "memberId,tileGroup,action\nm1,Savers,add\nm2,Savers,add\nm1,Savers,remove\nm1,Savers,add\n");
    assertThat(file.rows())
        .extracting(r -> r.outcome)
        .containsExactly(Outcome.REJECTED, null, Outcome.REJECTED, Outcome.REJECTED);
    assertThat(file.rows().get(0).reason)
        .isEqualTo(
            "contradiction: line 2 adds and line 4 removes member m1 in tile group 'Savers'");
  }

  @Test
  void read_whenSameMemberIsAddedToDifferentGroups_acceptsBoth() throws IOException {
    AssignmentFile file =
        read("memberId,tileGroup,action\nm1,Savers,add\nm1,Young Adults,remove\n");
    assertThat(file.hasProblems()).isFalse();
  }

  @Test
  void read_whenRowHasTheWrongNumberOfFields_rejectsIt() throws IOException {
    AssignmentRow row = only(read("memberId,tileGroup,action\nm1,Savers,add,extra\n"));
    assertThat(row.column).isEqualTo("(row)");
    assertThat(row.reason).isEqualTo("the row has 4 fields; the header has 3");
  }

  @Test
  void read_whenRowHasFewerFieldsThanTheHeader_rejectsItAsMalformed() throws IOException {
    AssignmentRow row = only(read("memberId,tileGroup,action\nm1,Savers\n"));
    assertThat(row.isValid()).isFalse();
    assertThat(row.column).isEqualTo("(row)");
    assertThat(row.reason).isEqualTo("the row has 2 fields; the header has 3");
  }

  @Test
  void read_whenAQuoteIsNeverClosed_rejectsOnlyItsOwnRowAndReadsTheNextOnes() throws IOException {
    AssignmentFile file =
        read("memberId,tileGroup,action\n\"m1,Savers,add\nm2,Savers,add\nm3,Savers,remove\n");
    assertThat(file.rows()).hasSize(3);
    assertThat(file.rows().get(0).line).isEqualTo(2);
    assertThat(file.rows().get(0).reason).startsWith("a quoted field is not closed");
    assertThat(file.rows().get(1).isValid()).isTrue();
    assertThat(file.rows().get(2).isValid()).isTrue();
    assertThat(file.rows().get(2).line).isEqualTo(4);
  }

  @Test
  void read_whenQuotingIsBroken_rejectsTheRowAsMalformed() throws IOException {
    AssignmentFile file = read("memberId,tileGroup,action\nm1,Savers,add\n\"m2,Savers,add\n");
    assertThat(file.rows().get(1).reason)
        .isEqualTo("a quoted field is not closed before the end of the file");
  }

  @Test
  void read_whenCellsHaveSurroundingSpacesOrQuotes_trimsThem() throws IOException {
    assertThat(only(read("memberId,tileGroup,action\n m1 ,\"Savers\", add\n")).isValid()).isTrue();
  }

  @Test
  void read_skipsBlankLinesAndKeepsPhysicalLineNumbers() throws IOException {
    AssignmentFile file = read("\uFEFFmemberId,tileGroup,action\r\n\r\nm1,Savers,add\r\n,,\r\n");
    assertThat(only(file).line).isEqualTo(3);
  }

  @Test
  void read_whenBytesAreNotUtf8_rejectsTheWholeFile() throws IOException {
    byte[] bad = {
      'm',
      'e',
      'm',
      'b',
      'e',
      'r',
      'I',
      'd',
      ',',
      't',
      'i',
      'l',
      'e',
      'G',
      'r',
      'o',
      'u',
      'p',
      ',',
      'a',
      'c',
      't',
      'i',
      'o',
      'n',
      '\n',
      'm',
      (byte) 0xC3,
      (byte) 0x28,
      ',',
      'x',
      '\n'
    };
    assertThat(read(bad, 1000).fileProblems()).singleElement().asString().contains("UTF-8");
  }

  @Test
  void read_whenFileHasMoreRowsThanAllowed_rejectsTheWholeFile() throws IOException {
    String text = "memberId,tileGroup,action\nm1,Savers,add\nm2,Savers,add\nm3,Savers,add\n";
    assertThat(read(text.getBytes(StandardCharsets.UTF_8), 2).fileProblems())
        .singleElement()
        .asString()
        .contains("more than 2 rows");
  }

  @Test
  void read_whenHeaderOnly_hasNoRowsAndNoProblems() throws IOException {
    AssignmentFile file = read("memberId,tileGroup,action\n");
    assertThat(file.rows()).isEmpty();
    assertThat(file.hasProblems()).isFalse();
  }
}
