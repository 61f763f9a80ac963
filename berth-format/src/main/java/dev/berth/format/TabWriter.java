package dev.berth.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-terminated cells into columns with the elastic tabstop algorithm of Go's text/tabwriter,
 * in the variant docker/cli vendors (cells are measured in terminal columns, so wide CJK characters
 * count twice). Docker's tables use {@link #docker}, i.e. {@code NewWriter(out, 10, 1, 3, ' ', 0)}.
 *
 * <p>A cell is text terminated by a tab; the text after the last tab of a line is not part of a column
 * and is never padded. A column block is a run of consecutive lines that all have a cell in that column,
 * and all its cells are padded to the block's widest cell plus padding (at least minWidth). A line without
 * any tab ends all blocks, as does a form feed. Text is buffered until {@link #flush}; call it when done.
 * HTML filtering and escape sequences of Go's writer are not supported.
 */
public final class TabWriter implements Appendable {

    /** Right-align cell contents instead of left-aligning them. */
    public static final int ALIGN_RIGHT = 1 << 2;
    /** Treat columns made only of empty, vertical-tab-terminated cells as absent. */
    public static final int DISCARD_EMPTY_COLUMNS = 1 << 3;
    /** Pad leading empty cells with tabs whatever the padding character. */
    public static final int TAB_INDENT = 1 << 4;
    /** Print a vertical bar between columns. */
    public static final int DEBUG = 1 << 5;

    private record Cell(int size, int width, boolean htab) {
    }

    private final Appendable out;
    private final int minWidth;
    private final int tabWidth;
    private final int padding;
    private final char padChar;
    private final int flags;

    private final StringBuilder buf = new StringBuilder(); // all text, without tabs and line breaks
    private int pos;          // buf position up to which the current cell's width is counted
    private int cellSize;     // chars of the current, unterminated cell
    private int cellWidth;    // columns of the current cell up to pos
    private final List<List<Cell>> lines = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>(); // column widths while formatting

    public TabWriter(Appendable out, int minWidth, int tabWidth, int padding, char padChar, int flags) {
        if (minWidth < 0 || tabWidth < 0 || padding < 0) {
            throw new IllegalArgumentException("negative minwidth, tabwidth, or padding");
        }
        this.out = out;
        this.minWidth = minWidth;
        this.tabWidth = tabWidth;
        this.padding = padding;
        this.padChar = padChar;
        // Padding with tabs forces left alignment.
        this.flags = padChar == '\t' ? flags & ~ALIGN_RIGHT : flags;
        reset();
    }

    /** The writer docker/cli puts behind every table: minwidth 10, tabwidth 1, padding 3, spaces. */
    public static TabWriter docker(Appendable out) {
        return new TabWriter(out, 10, 1, 3, ' ', 0);
    }

    @Override
    public TabWriter append(CharSequence text) {
        write(text == null ? "null" : text.toString());
        return this;
    }

    @Override
    public TabWriter append(CharSequence text, int start, int end) {
        return append((text == null ? "null" : text).subSequence(start, end));
    }

    @Override
    public TabWriter append(char c) {
        write(String.valueOf(c));
        return this;
    }

    /** Writes out everything buffered, formatting the pending lines as a block of their own. */
    public void flush() {
        if (cellSize > 0) {
            terminateCell(false);
        }
        format(0, 0, lines.size());
        reset();
    }

    private void reset() {
        buf.setLength(0);
        pos = 0;
        cellSize = 0;
        cellWidth = 0;
        lines.clear();
        widths.clear();
        lines.add(new ArrayList<>());
    }

    private void write(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '\t' && ch != '\u000b' && ch != '\n' && ch != '\f') {
                continue;
            }
            appendText(text, n, i);
            updateWidth();
            n = i + 1;
            int cells = terminateCell(ch == '\t');
            if (ch == '\n' || ch == '\f') {
                lines.add(new ArrayList<>());
                // A line with a single cell cannot affect later columns, so what is buffered can go out.
                if (ch == '\f' || cells == 1) {
                    flush();
                    if (ch == '\f' && (flags & DEBUG) != 0) {
                        emit("---\n");
                    }
                }
            }
        }
        appendText(text, n, text.length());
    }

    private void appendText(String text, int from, int to) {
        buf.append(text, from, to);
        cellSize += to - from;
    }

    private void updateWidth() {
        cellWidth += TextWidth.of(buf, pos, buf.length());
        pos = buf.length();
    }

    private int terminateCell(boolean htab) {
        List<Cell> line = lines.getLast();
        line.add(new Cell(cellSize, cellWidth, htab));
        cellSize = 0;
        cellWidth = 0;
        return line.size();
    }

    /** Formats lines [line0, line1) whose text starts at buf position pos0; returns the position after them. */
    private int format(int pos0, int line0, int line1) {
        int p = pos0;
        int column = widths.size();
        for (int current = line0; current < line1; current++) {
            if (column >= lines.get(current).size() - 1) {
                continue;
            }
            // This line has a cell in this column (its last cell never counts): a column block starts here.
            p = writeLines(p, line0, current);
            line0 = current;
            int width = minWidth;
            boolean discardable = true;
            for (; current < line1; current++) {
                List<Cell> line = lines.get(current);
                if (column >= line.size() - 1) {
                    break;
                }
                Cell c = line.get(column);
                width = Math.max(width, c.width() + padding);
                if (c.width() > 0 || c.htab()) {
                    discardable = false;
                }
            }
            if (discardable && (flags & DISCARD_EMPTY_COLUMNS) != 0) {
                width = 0;
            }
            widths.add(width);
            p = format(p, line0, current);
            widths.removeLast();
            line0 = current;
        }
        return writeLines(p, line0, line1);
    }

    private int writeLines(int pos0, int line0, int line1) {
        int p = pos0;
        for (int i = line0; i < line1; i++) {
            List<Cell> line = lines.get(i);
            boolean useTabs = (flags & TAB_INDENT) != 0;
            for (int j = 0; j < line.size(); j++) {
                Cell c = line.get(j);
                if (j > 0 && (flags & DEBUG) != 0) {
                    emit("|");
                }
                if (c.size() == 0) {
                    if (j < widths.size()) {
                        writePadding(c.width(), widths.get(j), useTabs);
                    }
                    continue;
                }
                useTabs = false;
                if ((flags & ALIGN_RIGHT) == 0) {
                    emit(buf.substring(p, p + c.size()));
                    p += c.size();
                    if (j < widths.size()) {
                        writePadding(c.width(), widths.get(j), false);
                    }
                } else {
                    if (j < widths.size()) {
                        writePadding(c.width(), widths.get(j), false);
                    }
                    emit(buf.substring(p, p + c.size()));
                    p += c.size();
                }
            }
            if (i + 1 == lines.size()) {
                // The last buffered line has no newline yet: write what there is of its open cell.
                emit(buf.substring(p, p + cellSize));
                p += cellSize;
            } else {
                emit("\n");
            }
        }
        return p;
    }

    private void writePadding(int textWidth, int cellWidth, boolean useTabs) {
        if (padChar == '\t' || useTabs) {
            if (tabWidth == 0) {
                return; // tabs have no width: no padding possible
            }
            int cell = (cellWidth + tabWidth - 1) / tabWidth * tabWidth;
            int n = cell - textWidth;
            emit("\t".repeat((n + tabWidth - 1) / tabWidth));
            return;
        }
        emit(String.valueOf(padChar).repeat(Math.max(0, cellWidth - textWidth)));
    }

    private void emit(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
