package dev.berth.cli;

import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove all stopped containers", customSynopsis = "berth container prune [OPTIONS]")
final class ContainerPruneCommand extends CliCommand {
    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    ContainerPruneCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        if (!force && !Prompt.confirm(session, "WARNING! This will remove all stopped containers.")) {
            return 0;
        }
        var reply = client().post("/containers/prune" + Query.of().add("filters", Filters.toJson(filters)), null);
        PruneReport.names(session, "Deleted Containers:", reply.path("ContainersDeleted"));
        PruneReport.reclaimed(session, reply.path("SpaceReclaimed").asLong(0));
        return 0;
    }
}
