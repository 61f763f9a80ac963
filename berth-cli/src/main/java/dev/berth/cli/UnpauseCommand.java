package dev.berth.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unpause", description = "Unpause all processes within one or more containers",
        customSynopsis = "berth unpause CONTAINER [CONTAINER...]")
final class UnpauseCommand extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    UnpauseCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().post("/containers/" + c + "/unpause", null);
            session.out.println(c);
        });
    }
}
