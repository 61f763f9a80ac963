package dev.berth.cli;

import picocli.CommandLine.Command;

@Command(name = "image", description = "Manage images")
final class ImageGroup extends CliCommand {
    ImageGroup(Session session) {
        super(session);
    }

    @Override
    int run() {
        return usage();
    }
}
