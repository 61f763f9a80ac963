package dev.berth.cli;

import dev.berth.client.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rename", description = "Rename a container", customSynopsis = "berth rename CONTAINER NEW_NAME")
final class RenameCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String newName;

    RenameCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        if (newName.isBlank()) throw new UsageError("Error: neither old or new names may be empty");
        client().post("/containers/" + container + "/rename" + Query.of().add("name", newName), null);
        return 0;
    }
}
