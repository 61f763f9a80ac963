package dev.berth.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pause", description = "Pause all processes within one or more containers",
        customSynopsis = "berth pause CONTAINER [CONTAINER...]")
final class PauseCommand extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    PauseCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().post("/containers/" + c + "/pause", null);
            session.out.println(c);
        });
    }
}
