package dev.berth.cli;

import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "prune", description = "Remove unused images", customSynopsis = "berth image prune [OPTIONS]")
final class ImagePruneCommand extends CliCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    ImagePruneCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        String warning = all ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
        if (!force && !Prompt.confirm(session, warning)) return 0;
        var flags = new ArrayList<>(filters);
        flags.add("dangling=" + !all);
        var reply = client().post("/images/prune" + Query.of().add("filters", Filters.toJson(flags)), null);
        PruneReport.images(session, reply.path("ImagesDeleted"));
        PruneReport.reclaimed(session, reply.path("SpaceReclaimed").asLong(0));
        return 0;
    }
}
