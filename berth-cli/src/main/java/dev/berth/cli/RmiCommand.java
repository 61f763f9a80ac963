package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.Query;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "rmi", description = "Remove one or more images", customSynopsis = "berth rmi [OPTIONS] IMAGE [IMAGE...]")
class RmiCommand extends CliCommand {
    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Option(names = "--no-prune", description = "Do not delete untagged parents")
    boolean noPrune;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    RmiCommand(Session session) {
        super(session);
    }

    @Command(name = "rm", aliases = {"rmi", "remove"}, description = "Remove one or more images",
            customSynopsis = "berth image rm [OPTIONS] IMAGE [IMAGE...]")
    static final class ImageRm extends RmiCommand {
        ImageRm(Session session) {
            super(session);
        }
    }

    @Override
    int run() throws Exception {
        return forEach(images, image -> {
            try (var r = client().stream("DELETE", "/images/" + image + Query.of().add("force", force).add("noprune", noPrune))) {
                JsonNode reply = EngineClient.json().readTree(r.body());
                for (JsonNode item : reply) {
                    if (item.has("Untagged")) session.out.println("Untagged: " + item.get("Untagged").asString());
                    if (item.has("Deleted")) session.out.println("Deleted: " + item.get("Deleted").asString());
                }
            }
        });
    }
}
