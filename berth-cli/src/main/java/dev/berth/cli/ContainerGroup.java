package dev.berth.cli;

import picocli.CommandLine.Command;

@Command(name = "container", description = "Manage containers",
        subcommands = {CreateCommand.class, InspectCommand.ContainerInspect.class, KillCommand.class, LogsCommand.class,
            PsCommand.ContainerLs.class, ContainerPruneCommand.class, RenameCommand.class, RestartCommand.class, RmCommand.class,
            RunCommand.class, StartCommand.class, StopCommand.class, WaitCommand.class})
final class ContainerGroup extends CliCommand {
    ContainerGroup(Session session) {
        super(session);
    }

    @Override
    int run() {
        return usage();
    }
}
