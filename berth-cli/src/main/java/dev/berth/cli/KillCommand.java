package dev.berth.cli;

import dev.berth.client.Query;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", description = "Kill one or more running containers",
        customSynopsis = "berth kill [OPTIONS] CONTAINER [CONTAINER...]")
final class KillCommand extends CliCommand {
    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    KillCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().post("/containers/" + c + "/kill" + Query.of().add("signal", signal), null);
            session.out.println(c);
        });
    }
}
