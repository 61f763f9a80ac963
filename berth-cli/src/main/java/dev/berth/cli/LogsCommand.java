package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.client.Response;
import dev.berth.client.StreamDemultiplexer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Fetch the logs of a container", customSynopsis = "berth logs [OPTIONS] CONTAINER")
final class LogsCommand extends CliCommand {

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "string", defaultValue = "all", description = "Number of lines to show from the end of the logs (default \"all\")")
    String tail;

    @Option(names = "--since", paramLabel = "string", description = "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String since;

    @Option(names = "--until", paramLabel = "string", description = "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String until;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--details", description = "Show extra details provided to logs")
    boolean details;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    LogsCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        var inspect = client().get("/containers/" + container + "/json");
        boolean tty = inspect.path("Config").path("Tty").asBoolean(false);
        Instant now = Instant.now();
        Query q = Query.of().add("stdout", true).add("stderr", true).add("follow", follow).add("tail", tail)
                .add("since", timestamp(since, now)).add("until", timestamp(until, now)).add("timestamps", timestamps)
                .add("details", details);
        try (Response r = client().stream("GET", "/containers/" + inspect.get("Id").asString() + "/logs" + q)) {
            if (tty) {
                StreamDemultiplexer.copyRaw(r.body(), session.out);
            } else {
                StreamDemultiplexer.copy(r.body(), session.out, session.err);
            }
        }
        session.out.flush();
        return 0;
    }

    /**
     * Docker's GetTimestamp: a Go duration ({@code 42m}, {@code 1h30m}) counts back from now; an RFC 3339 time is
     * converted; anything else (Unix seconds) goes to the daemon as it is.
     */
    static String timestamp(String value, Instant now) {
        if (value == null || value.isEmpty()) return null;
        java.time.Duration back = value.equals("0") ? null : dev.berth.common.GoDuration.parse(value);
        if (back != null) return unix(now.minus(back));
        try {
            return unix(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException notRfc3339) {
            return value;
        }
    }

    private static String unix(Instant t) {
        return String.format("%d.%09d", t.getEpochSecond(), t.getNano());
    }
}
