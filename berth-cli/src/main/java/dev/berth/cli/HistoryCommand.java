package dev.berth.cli;

import dev.berth.common.HumanTime;
import dev.berth.format.Formatter;
import dev.berth.format.TemplateFields;
import dev.berth.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "history", description = "Show the history of an image", customSynopsis = "berth history [OPTIONS] IMAGE")
class HistoryCommand extends CliCommand {
    static final String DEFAULT_TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT",
            "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");

    @Option(names = {"-H", "--human"}, arity = "0..1", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print sizes and dates in human readable format (default true)")
    boolean human;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template")
    String format;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    HistoryCommand(Session session) {
        super(session);
    }

    @Command(name = "history", description = "Show the history of an image", customSynopsis = "berth image history [OPTIONS] IMAGE")
    static final class ImageHistory extends HistoryCommand {
        ImageHistory(Session session) {
            super(session);
        }
    }

    /** One layer of the history, as docker/cli's historyContext. */
    record Row(JsonNode h, boolean trunc, boolean human) implements TemplateFields {
        private static final Set<String> FIELDS = new TreeSet<>(List.of("Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"));

        @Override
        public Object field(String name) {
            long created = h.path("Created").asLong();
            return switch (name) {
                case "ID" -> {
                    String id = h.path("Id").asString();
                    yield trunc && id.startsWith("sha256:") ? ImageNames.shortId(id) : id;
                }
                case "CreatedSince" -> human ? HumanTime.duration(Duration.between(Instant.ofEpochSecond(created), Instant.now())) + " ago"
                        : GoText.rfc3339(created);
                case "CreatedAt" -> human ? GoText.time(created) : GoText.rfc3339(created);
                case "CreatedBy" -> {
                    String by = h.path("CreatedBy").asString().replace("\t", " ");
                    yield trunc ? GoText.ellipsis(by, 45) : by;
                }
                case "Size" -> human ? Units.humanSize(h.path("Size").asLong(), 3) : Long.toString(h.path("Size").asLong());
                case "Comment" -> h.path("Comment").asString();
                default -> NO_SUCH_FIELD;
            };
        }

        @Override
        public Set<String> fieldNames() {
            return FIELDS;
        }

        @Override
        public String typeName() {
            return "*formatter.historyContext";
        }
    }

    @Override
    int run() {
        JsonNode history = client().get("/images/" + image + "/history");
        var rows = new ArrayList<Row>();
        history.forEach(h -> rows.add(new Row(h, !noTrunc, human)));
        String f = quiet && (format == null || format.isEmpty()) ? "{{.ID}}" : format;
        new Formatter(f, DEFAULT_TABLE, HEADERS).write(rows, session.out);
        return 0;
    }
}
