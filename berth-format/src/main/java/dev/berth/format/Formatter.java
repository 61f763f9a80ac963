package dev.berth.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders the items of a list command for {@code --format} as docker/cli's formatter.Context does:
 *
 * <ul>
 *   <li>{@code table} (or an empty format): the command's default table;</li>
 *   <li>{@code table TEMPLATE}: a header row, then one row per item, aligned by {@link TabWriter#docker};</li>
 *   <li>{@code json}: each item as compact JSON on its own line ({@code {{json .}}});</li>
 *   <li>anything else: the template, executed once per item, each followed by a newline.</li>
 * </ul>
 *
 * As in Docker, the literal two-character sequences {@code \t} and {@code \n} in a format stand for tab
 * and newline, and spaces around the template are trimmed. The header is the same template executed over
 * the header map (field name to column title, e.g. {@code ID -> CONTAINER ID}) with Docker's header
 * functions; a header that fails to render is cut where it failed, which is how Docker shows no title for
 * {@code {{.Label "x"}}} columns. Errors are {@link TemplateException}s with Docker's
 * {@code template parsing error: } prefix, and nothing is written when one occurs.
 */
public final class Formatter {

    private final Template template;
    private final boolean table;
    private final Map<String, String> headers;

    /**
     * @param format       the user's --format value (null or empty means {@code table})
     * @param defaultTable the command's table format, such as {@code table {{.ID}}\t{{.Image}}}
     * @param headers      column titles by field name, used for the header row of tables
     */
    public Formatter(String format, String defaultTable, Map<String, String> headers) {
        String f = format == null || format.isEmpty() || format.equals("table") ? defaultTable : format;
        this.table = f.startsWith("table");
        this.headers = Map.copyOf(headers);
        String source;
        if (table) {
            source = f.substring("table".length());
        } else if (f.equals("json")) {
            source = "{{json .}}";
        } else {
            source = f;
        }
        source = trimSpaces(source).replace("\\t", "\t").replace("\\n", "\n");
        try {
            this.template = Template.parse(source);
        } catch (TemplateException e) {
            throw new TemplateException("template parsing error: " + e.getMessage());
        }
    }

    /** Whether the output is a table with a header row. */
    public boolean isTable() {
        return table;
    }

    /** Formats the items and returns the text. */
    public String format(Iterable<?> items) {
        StringBuilder out = new StringBuilder();
        write(items, out);
        return out.toString();
    }

    /** Formats the items to out; nothing is written if an item fails to render. */
    public void write(Iterable<?> items, Appendable out) {
        StringBuilder rows = new StringBuilder();
        for (Object item : items) {
            try {
                template.execute(item, rows);
            } catch (TemplateException e) {
                throw new TemplateException("template parsing error: " + e.getMessage());
            }
            rows.append('\n');
        }
        if (!table) {
            append(out, rows);
            return;
        }
        StringBuilder header = new StringBuilder();
        try {
            template.executeHeader(headers, header);
        } catch (TemplateException ignored) {
            // docker/cli ignores header errors and prints what was rendered before the failure.
        }
        TabWriter tw = TabWriter.docker(out);
        tw.append(header).append('\n').append(rows);
        tw.flush();
    }

    private static void append(Appendable out, CharSequence text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** strings.Trim(s, " "): spaces only, not tabs or newlines. */
    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}
