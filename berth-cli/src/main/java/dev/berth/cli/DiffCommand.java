package dev.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem",
        customSynopsis = "berth diff CONTAINER")
final class DiffCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    DiffCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        JsonNode changes = client().get("/containers/" + container + "/changes");
        for (JsonNode c : changes) {
            String kind = switch (c.path("Kind").asInt()) {
                case 0 -> "C";
                case 1 -> "A";
                case 2 -> "D";
                default -> "?";
            };
            session.out.println(kind + " " + c.path("Path").asString());
        }
        return 0;
    }
}
