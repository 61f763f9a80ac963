package dev.berth.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Stop one or more running containers",
        customSynopsis = "berth stop [OPTIONS] CONTAINER [CONTAINER...]")
final class StopCommand extends CliCommand {
    @Mixin
    StopOptions stop;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    StopCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().post("/containers/" + c + "/stop" + stop.query(), null);
            session.out.println(c);
        });
    }
}
