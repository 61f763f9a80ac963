package dev.berth.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes",
        customSynopsis = "berth wait CONTAINER [CONTAINER...]")
final class WaitCommand extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    WaitCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            var reply = client().post("/containers/" + c + "/wait", null);
            session.out.println(reply.path("StatusCode").asInt());
        });
    }
}
