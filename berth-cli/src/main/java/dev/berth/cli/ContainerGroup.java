package dev.berth.cli;

import picocli.CommandLine.Command;

@Command(name = "container", description = "Manage containers")
final class ContainerGroup extends CliCommand {
    ContainerGroup(Session session) {
        super(session);
    }

    @Override
    int run() {
        return usage();
    }
}
