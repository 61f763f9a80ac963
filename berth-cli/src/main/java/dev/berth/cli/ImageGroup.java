package dev.berth.cli;

import picocli.CommandLine.Command;

@Command(name = "image", description = "Manage images",
        subcommands = {ImportCommand.class, InspectCommand.ImageInspect.class, ImagesCommand.ImageLs.class, RmiCommand.ImageRm.class,
            TagCommand.class})
final class ImageGroup extends CliCommand {
    ImageGroup(Session session) {
        super(session);
    }

    @Override
    int run() {
        return usage();
    }
}
