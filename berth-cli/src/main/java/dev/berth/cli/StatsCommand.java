package dev.berth.cli;

import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.format.Formatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "stats", description = "Display a live stream of container(s) resource usage statistics",
        customSynopsis = "berth stats [OPTIONS] [CONTAINER...]")
final class StatsCommand extends CliCommand {
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;

    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template")
    String format;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> containers = new ArrayList<>();

    StatsCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        Formatter formatter = new Formatter(format, StatsRow.DEFAULT_TABLE, StatsRow.HEADERS);
        boolean clear = !noStream && dev.berth.sys.Terminal.isTerminal(1);
        while (true) {
            // One sample per container, with its predecessor: the daemon takes two readings a second apart for the
            // CPU delta, so the containers are asked at the same time, as docker's CLI does.
            var client = client();
            var samples = new ArrayList<java.util.concurrent.Future<JsonNode>>();
            var targets = targets();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (String c : targets) {
                    samples.add(pool.submit(() -> client.get("/containers/" + c + "/stats" + Query.of().addBool("stream", false))));
                }
            }
            var rows = new ArrayList<StatsRow>();
            for (int i = 0; i < targets.size(); i++) {
                try {
                    rows.add(new StatsRow(targets.get(i), samples.get(i).get(), !noTrunc));
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof EngineException ee)) throw e;
                    if (!containers.isEmpty()) throw ee;
                    // A container listed a moment ago has gone: leave it out of this round.
                }
            }
            if (clear) session.out.print("\033[2J\033[H");
            formatter.write(rows, session.out);
            session.out.flush();
            if (noStream) return 0;
            Thread.sleep(500);
        }
    }

    private List<String> targets() {
        if (!containers.isEmpty()) return containers;
        var ids = new ArrayList<String>();
        client().get("/containers/json" + Query.of().add("all", all)).forEach(c -> ids.add(c.path("Id").asString()));
        return ids;
    }
}
