package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a new container",
        customSynopsis = "berth create [OPTIONS] IMAGE [COMMAND] [ARG...]")
final class CreateCommand extends CliCommand {
    @Mixin
    ContainerOptions options;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    CreateCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        session.out.println(ContainerCreation.create(session, options, image, command, false));
        return 0;
    }
}
