package dev.berth.cli;

import picocli.CommandLine.Command;

@Command(name = "system", description = "Manage Berth")
final class SystemGroup extends CliCommand {
    SystemGroup(Session session) {
        super(session);
    }

    @Override
    int run() {
        return usage();
    }
}
