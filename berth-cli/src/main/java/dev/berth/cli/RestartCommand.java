package dev.berth.cli;

import dev.berth.client.Query;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restart", description = "Restart one or more containers",
        customSynopsis = "berth restart [OPTIONS] CONTAINER [CONTAINER...]")
final class RestartCommand extends CliCommand {
    @Option(names = {"-t", "--timeout", "--time"}, paramLabel = "int", description = "Seconds to wait before killing the container")
    Integer timeout;

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    RestartCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().post("/containers/" + c + "/restart" + Query.of().add("t", timeout).add("signal", signal), null);
            session.out.println(c);
        });
    }
}
