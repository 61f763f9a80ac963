package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.format.Formatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "ps", description = "List containers", customSynopsis = "berth ps [OPTIONS]")
class PsCommand extends CliCommand {
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = {"-n", "--last"}, paramLabel = "int", defaultValue = "-1", description = "Show n last created containers (includes all states)")
    int last;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template: 'table', 'table TEMPLATE', 'json', or a Go template")
    String format;

    PsCommand(Session session) {
        super(session);
    }

    @Command(name = "ls", aliases = {"list", "ps"}, description = "List containers", customSynopsis = "berth container ls [OPTIONS]")
    static final class ContainerLs extends PsCommand {
        ContainerLs(Session session) {
            super(session);
        }
    }

    @Override
    int run() {
        int limit = latest ? 1 : last;
        String format = this.format;
        if (quiet && (format == null || format.isEmpty())) format = "{{.ID}}";
        boolean wantsSize = size || (format != null && format.contains(".Size"));
        Query q = Query.of().add("all", all || limit > 0).add("limit", limit > 0 ? limit : null)
                .add("size", wantsSize).add("filters", Filters.toJson(filters));
        String table = ContainerRow.DEFAULT_TABLE + (size ? "\t{{.Size}}" : "");
        Formatter formatter = new Formatter(format, table, ContainerRow.HEADERS);
        var rows = new ArrayList<ContainerRow>();
        for (JsonNode c : client().get("/containers/json" + q)) rows.add(new ContainerRow(c, !noTrunc));
        formatter.write(rows, session.out);
        return 0;
    }
}
