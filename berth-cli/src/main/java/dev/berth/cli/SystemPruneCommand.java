package dev.berth.cli;

import dev.berth.client.EngineException;
import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "prune", description = "Remove unused data", customSynopsis = "berth system prune [OPTIONS]")
final class SystemPruneCommand extends CliCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--volumes", description = "Prune anonymous volumes")
    boolean volumes;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<key>=<value>\")")
    List<String> filters = new ArrayList<>();

    SystemPruneCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        var warning = new StringBuilder("WARNING! This will remove:\n  - all stopped containers\n"
                + "  - all networks not used by at least one container\n");
        if (volumes) warning.append("  - all anonymous volumes not used by at least one container\n");
        warning.append(all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n");
        warning.append("  - unused build cache\n");
        if (!force && !Prompt.confirm(session, warning.toString())) return 0;

        long reclaimed = 0;
        JsonNode containers = client().post("/containers/prune" + Query.of().add("filters", Filters.toJson(filters)), null);
        reclaimed += containers.path("SpaceReclaimed").asLong(0);
        PruneReport.names(session, "Deleted Containers:", containers.path("ContainersDeleted"));
        JsonNode networks = optional("/networks/prune" + Query.of().add("filters", Filters.toJson(filters)));
        if (networks != null) PruneReport.names(session, "Deleted Networks:", networks.path("NetworksDeleted"));
        if (volumes) {
            JsonNode v = client().post("/volumes/prune" + Query.of().add("filters", Filters.toJson(filters)), null);
            reclaimed += v.path("SpaceReclaimed").asLong(0);
            PruneReport.names(session, "Deleted Volumes:", v.path("VolumesDeleted"));
        }
        var imageFilters = new ArrayList<>(filters);
        imageFilters.add("dangling=" + !all);
        JsonNode images = client().post("/images/prune" + Query.of().add("filters", Filters.toJson(imageFilters)), null);
        reclaimed += images.path("SpaceReclaimed").asLong(0);
        PruneReport.images(session, images.path("ImagesDeleted"));
        PruneReport.reclaimed(session, reclaimed);
        return 0;
    }

    /** A prune endpoint berthd may not serve yet (user-defined networks): left out when it answers 404. */
    private JsonNode optional(String path) {
        try {
            return client().post(path, null);
        } catch (EngineException e) {
            if (e.status() == 404) return null;
            throw e;
        }
    }
}
