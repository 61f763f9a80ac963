package dev.berth.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The --format modes of a list command, with outputs checked against docker/cli's formatter.Context logic
 * run over Go's text/template and tabwriter.
 */
class FormatterTest {

    /** A ps row like docker/cli's ContainerContext: computed fields and a Label method. */
    record ContainerRow(String id, String names, String ports, Map<String, String> labels) implements TemplateFields {

        @Override
        public Object field(String name) {
            return switch (name) {
                case "ID" -> id;
                case "Names" -> names;
                case "Ports" -> ports;
                case "Labels" -> new TreeMap<>(labels).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
                default -> NO_SUCH_FIELD;
            };
        }

        @Override
        public Object call(String name, List<Object> args) {
            if (name.equals("Label")) {
                if (args.size() != 1) {
                    throw new TemplateException("wrong number of args for Label: want 1 got " + args.size());
                }
                return labels.getOrDefault((String) args.getFirst(), "");
            }
            return TemplateFields.super.call(name, args);
        }

        @Override
        public Set<String> fieldNames() {
            return Set.of("ID", "Names", "Ports", "Labels");
        }

        @Override
        public String typeName() {
            return "*formatter.ContainerContext";
        }
    }

    private static final Map<String, String> HEADERS =
            Map.of("ID", "CONTAINER ID", "Names", "NAMES", "Ports", "PORTS", "Labels", "LABELS");
    private static final String DEFAULT_TABLE = "table {{.ID}}\\t{{.Names}}\\t{{.Ports}}";
    private static final List<ContainerRow> ROWS = List.of(
            new ContainerRow("4f66ad9a0b2e", "web", "0.0.0.0:8080->80/tcp", Map.of("com.x", "1")),
            new ContainerRow("9c1d", "database-primary", "", Map.of()));

    private static String format(String format, List<?> rows) {
        return new Formatter(format, DEFAULT_TABLE, HEADERS).format(rows);
    }

    @Test
    void table_usesTheDefaultTableWithHeaders() {
        String expected = """
                CONTAINER ID   NAMES              PORTS
                4f66ad9a0b2e   web                0.0.0.0:8080->80/tcp
                9c1d           database-primary  \s
                """;
        assertThat(format("table", ROWS)).isEqualTo(expected);
        assertThat(format("", ROWS)).isEqualTo(expected);
        assertThat(format(null, ROWS)).isEqualTo(expected);
    }

    @Test
    void tableTemplate_turnsBackslashTIntoColumns() {
        assertThat(format("table {{.ID}}\\t{{.Names}}", ROWS)).isEqualTo("""
                CONTAINER ID   NAMES
                4f66ad9a0b2e   web
                9c1d           database-primary
                """);
    }

    @Test
    void table_withNoItems_printsOnlyTheHeader() {
        assertThat(format("table {{.ID}}\t{{.Names}}", List.of())).isEqualTo("CONTAINER ID   NAMES\n");
    }

    @Test
    void rawTemplate_printsOneLinePerItemWithoutHeader() {
        assertThat(format("{{.ID}}: {{.Names}}", ROWS)).isEqualTo("4f66ad9a0b2e: web\n9c1d: database-primary\n");
        assertThat(format("  {{.ID}}  ", ROWS)).isEqualTo("4f66ad9a0b2e\n9c1d\n");
        assertThat(format("{{.ID}}", List.of())).isEmpty();
    }

    @Test
    void rawTemplate_withBackslashN_printsSeveralLinesPerItem() {
        assertThat(format("{{.Names}}\\n{{.ID}}", ROWS)).isEqualTo("web\n4f66ad9a0b2e\ndatabase-primary\n9c1d\n");
    }

    @Test
    void json_printsEachRowAsCompactJsonWithSortedKeysAndEscapedHtml() {
        // docker/cli marshals its contexts with json.Marshal, which escapes '>' inside the Ports text.
        assertThat(format("json", ROWS)).isEqualTo("""
                {"ID":"4f66ad9a0b2e","Labels":"com.x=1","Names":"web","Ports":"0.0.0.0:8080-\\u003e80/tcp"}
                {"ID":"9c1d","Labels":"","Names":"database-primary","Ports":""}
                """);
    }

    @Test
    void json_ofPlainMaps_keepsTheirOrder() {
        List<Object> images = List.of(JsonData.parse("{\"Repository\":\"busybox\",\"Tag\":\"latest\",\"Size\":4261574}"));
        assertThat(format("json", images)).isEqualTo("{\"Repository\":\"busybox\",\"Tag\":\"latest\",\"Size\":4261574}\n");
    }

    @Test
    void methodWithArgument_isCalledWithTheTemplateValue() {
        assertThat(format("{{.Names}}={{.Label \"com.x\"}}", ROWS)).isEqualTo("web=1\ndatabase-primary=\n");
    }

    @Test
    void table_whenHeaderCannotRender_keepsWhatRenderedBeforeIt() {
        // The header map has no Label method; Docker ignores the error and shows an empty title.
        assertThat(format("table {{.ID}}\t{{.Label \"com.x\"}}", ROWS)).isEqualTo("""
                CONTAINER ID  \s
                4f66ad9a0b2e   1
                9c1d          \s
                """);
    }

    @Test
    void tableHeader_keepsTitlesIntactExceptForPad() {
        assertThat(format("table {{upper .Names}}\t{{json .ID}}\t{{truncate .ID 3}}\t{{pad .Names 1 1}}|", ROWS))
                .isEqualTo("""
                        NAMES              CONTAINER ID     CONTAINER ID    NAMES |
                        WEB                "4f66ad9a0b2e"   4f6             web |
                        DATABASE-PRIMARY   "9c1d"           9c1             database-primary |
                        """);
    }

    @Test
    void badTemplate_isReportedWithDockersPrefix() {
        assertThatThrownBy(() -> format("{{foo}}", ROWS))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template parsing error: template: :1: function \"foo\" not defined");
    }

    @Test
    void unknownField_isReportedWithTheRowTypeAndNothingIsWritten() {
        StringBuilder out = new StringBuilder();
        Formatter f = new Formatter("table {{.ID}}\t{{.Nope}}", DEFAULT_TABLE, HEADERS);

        assertThatThrownBy(() -> f.write(ROWS, out)).hasMessage("template parsing error: template: :1:10: "
                + "executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.ContainerContext");
        assertThat(out).isEmpty();
    }

    @Test
    void methodCalledWithWrongArguments_reportsTheRowsMessage() {
        assertThatThrownBy(() -> format("{{.Label}}", ROWS)).hasMessage("template parsing error: template: :1:2: "
                + "executing \"\" at <.Label>: wrong number of args for Label: want 1 got 0");
    }

    @Test
    void isTable_reflectsTheChosenMode() {
        assertThat(new Formatter("table {{.ID}}", DEFAULT_TABLE, HEADERS).isTable()).isTrue();
        assertThat(new Formatter("", DEFAULT_TABLE, HEADERS).isTable()).isTrue();
        assertThat(new Formatter("json", DEFAULT_TABLE, HEADERS).isTable()).isFalse();
        assertThat(new Formatter("{{.ID}}", DEFAULT_TABLE, HEADERS).isTable()).isFalse();
    }
}
