package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.Query;
import dev.berth.client.Response;
import dev.berth.format.Template;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "events", description = "Get real time events from the server", customSynopsis = "berth events [OPTIONS]")
final class EventsCommand extends CliCommand {
    /** jsonmessage.RFC3339NanoFixed, in the local zone. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template: 'json', or a Go template")
    String format;

    @Option(names = "--since", paramLabel = "string", description = "Show all events created since timestamp")
    String since;

    @Option(names = "--until", paramLabel = "string", description = "Stream events until this timestamp")
    String until;

    EventsCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        Instant now = Instant.now();
        Template template = format == null || format.isEmpty() ? null
                : Template.parse(format.equals("json") ? "{{json .}}" : format.replace("\\t", "\t").replace("\\n", "\n"));
        Query q = Query.of().add("since", LogsCommand.timestamp(since, now)).add("until", LogsCommand.timestamp(until, now))
                .add("filters", Filters.toJson(filters));
        try (Response r = client().stream("GET", "/events" + q)) {
            var lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) continue;
                JsonNode event = EngineClient.json().readTree(line);
                session.out.println(template == null ? line(event)
                        : template.execute(EngineClient.json().treeToValue(event, Object.class)));
                session.out.flush();
            }
        }
        return 0;
    }

    /** Docker's default line: time, type, action, actor id, then the attributes sorted by name. */
    static String line(JsonNode event) {
        long nanos = event.path("timeNano").asLong(event.path("time").asLong() * 1_000_000_000L);
        Instant t = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        var attributes = new TreeMap<String, String>();
        event.path("Actor").path("Attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asString()));
        StringBuilder sb = new StringBuilder(TIME.format(t.atZone(ZoneId.systemDefault())));
        sb.append(' ').append(event.path("Type").asString()).append(' ').append(event.path("Action").asString())
                .append(' ').append(event.path("Actor").path("ID").asString());
        if (!attributes.isEmpty()) {
            var parts = new ArrayList<String>();
            for (Map.Entry<String, String> e : attributes.entrySet()) parts.add(e.getKey() + "=" + e.getValue());
            sb.append(" (").append(String.join(", ", parts)).append(')');
        }
        return sb.toString();
    }
}
