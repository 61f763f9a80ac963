package dev.berth.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "restart", description = "Restart one or more containers",
        customSynopsis = "berth restart [OPTIONS] CONTAINER [CONTAINER...]")
final class RestartCommand extends CliCommand {
    @Mixin
    StopOptions stop;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    RestartCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().post("/containers/" + c + "/restart" + stop.query(), null);
            session.out.println(c);
        });
    }
}
