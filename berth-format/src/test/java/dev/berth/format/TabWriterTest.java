package dev.berth.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Alignment as Go's text/tabwriter produces it. Each expectation is worked out from the algorithm in the
 * comment beside it and was checked against Go's writer (except the wide-character case, where docker/cli's
 * vendored writer differs from Go's on purpose).
 */
class TabWriterTest {

    private static String docker(String... writes) {
        StringBuilder out = new StringBuilder();
        TabWriter tw = TabWriter.docker(out);
        for (String w : writes) {
            tw.append(w);
        }
        tw.flush();
        return out.toString();
    }

    private static String write(int minWidth, int tabWidth, int padding, char padChar, int flags, String text) {
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, minWidth, tabWidth, padding, padChar, flags);
        tw.append(text);
        tw.flush();
        return out.toString();
    }

    @Test
    void dockerTable_padsEachColumnToWidestCellPlusThree() {
        // Column 0: widest is "abcdef0123456" (13) + 3 = 16. Column 1: "nginx:latest" (12) + 3 = 15.
        // The last cell of a line is not part of a column and is not padded.
        assertThat(docker("CONTAINER ID\tIMAGE\tNAMES\n", "abc\tbusybox\tweb\n", "abcdef0123456\tnginx:latest\tdb\n"))
                .isEqualTo("""
                        CONTAINER ID    IMAGE          NAMES
                        abc             busybox        web
                        abcdef0123456   nginx:latest   db
                        """);
    }

    @Test
    void dockerTable_narrowColumnsTakeTheMinimumWidthOfTen() {
        assertThat(docker("a\tb\n")).isEqualTo("a         b\n");
    }

    @Test
    void columnBlock_endsAtTheFirstLineWithoutThatColumn() {
        // Go's doc example: column 0 spans all lines (width 4 + 1); column 1 is two blocks, lines 1-2
        // (width 3 + 1) and line 4 (width 4 + 1), because line 3 has no cell terminated in column 1.
        assertThat(write(0, 8, 1, ' ', 0, "aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n"))
                .isEqualTo("aaaa bbb d\naa   b   dd\na    \naa   cccc eee\n");
    }

    @Test
    void lineWithoutTabs_startsNewColumnBlocks() {
        // Without the plain line, "c" would be padded to the 15 of "aaaaaaaaaaaa".
        assertThat(docker("aaaaaaaaaaaa\tb\nc\td\n")).isEqualTo("aaaaaaaaaaaa   b\nc              d\n");
        assertThat(docker("aaaaaaaaaaaa\tb\nplain\nc\td\n")).isEqualTo("aaaaaaaaaaaa   b\nplain\nc         d\n");
    }

    @Test
    void formFeed_endsTheBlockAndPrintsAsNewline() {
        assertThat(docker("aaaaaaaaaaaa\tb\f", "c\td\n")).isEqualTo("aaaaaaaaaaaa   b\nc         d\n");
    }

    @Test
    void trailingTab_makesTheLastTextACellThatIsPadded() {
        assertThat(docker("a\tb\t\n")).isEqualTo("a         b         \n");
    }

    @Test
    void emptyLeadingCell_isPaddedLikeAnyOther() {
        assertThat(docker("\tx\n")).isEqualTo("          x\n");
    }

    @Test
    void cellsSplitAcrossWrites_alignAsIfWrittenAtOnce() {
        assertThat(docker("ID\tNA", "ME\nabc", "\tweb", "\n")).isEqualTo("ID        NAME\nabc       web\n");
    }

    @Test
    void textWithoutFinalNewline_isWrittenOnFlush() {
        assertThat(docker("no newline\tat end")).isEqualTo("no newline   at end");
    }

    @Test
    void wideCharacters_countTwoColumnsAsInDockersWriter() {
        // "名前" is four terminal columns wide (Go's own writer would count two runes).
        assertThat(write(0, 1, 1, ' ', 0, "名前\tb\nab\tc\n")).isEqualTo("名前 b\nab   c\n");
    }

    @Test
    void alignRight_padsBeforeTheText() {
        assertThat(write(0, 8, 1, ' ', TabWriter.ALIGN_RIGHT, "a\tbbb\tc\naaaa\tb\tc\n"))
                .isEqualTo("    a bbbc\n aaaa   bc\n");
    }

    @Test
    void debug_marksColumnBoundaries() {
        assertThat(write(0, 8, 1, ' ', TabWriter.DEBUG, "a\tbbb\tc\naaaa\tb\tc\n"))
                .isEqualTo("a    |bbb |c\naaaa |b   |c\n");
    }

    @Test
    void tabPadding_roundsCellsUpToTabStops() {
        // Column width 10 + 1 rounds up to 16 with 8-wide tabs: "a" needs two tabs, "abcdefghij" one.
        assertThat(write(0, 8, 1, '\t', 0, "a\tb\nabcdefghij\tc\n")).isEqualTo("a\t\tb\nabcdefghij\tc\n");
    }
}
