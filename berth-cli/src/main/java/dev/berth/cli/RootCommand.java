package dev.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "berth", description = "A self-sufficient runtime for containers",
        synopsisHeading = "Usage:  ", customSynopsis = "berth [OPTIONS] COMMAND")
final class RootCommand extends CliCommand {
    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Daemon socket to connect to (default unix:///var/run/berth.sock)")
    void host(String host) {
        session.hostFlag = host;
    }

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    boolean debug;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", description = "Set the logging level (debug, info, warn, error, fatal)")
    String logLevel;

    @Option(names = {"-v", "--version"}, description = "Print version information and quit")
    boolean version;

    RootCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        if (version) {
            session.out.println("Berth version " + VersionCommand.CLIENT_VERSION);
            return 0;
        }
        return usage();
    }
}
