package dev.berth.cli;

import dev.berth.client.Query;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", description = "Stop one or more running containers",
        customSynopsis = "berth stop [OPTIONS] CONTAINER [CONTAINER...]")
final class StopCommand extends CliCommand {
    @Option(names = {"-t", "--timeout", "--time"}, paramLabel = "int", description = "Seconds to wait before killing the container")
    Integer timeout;

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    StopCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        return forEach(containers, c -> {
            client().post("/containers/" + c + "/stop" + Query.of().add("t", timeout).add("signal", signal), null);
            session.out.println(c);
        });
    }
}
