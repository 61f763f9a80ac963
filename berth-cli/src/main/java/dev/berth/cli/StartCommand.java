package dev.berth.cli;

import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.client.Response;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start one or more stopped containers",
        customSynopsis = "berth start [OPTIONS] CONTAINER [CONTAINER...]")
final class StartCommand extends CliCommand {
    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    StartCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        if (!attach && !interactive) {
            return forEach(containers, c -> {
                client().post("/containers/" + c + "/start", null);
                session.out.println(c);
            });
        }
        if (containers.size() > 1) throw new UsageError("you cannot start and attach multiple containers at once");
        String name = containers.getFirst();
        var inspect = client().get("/containers/" + name + "/json");
        String id = inspect.get("Id").asString();
        boolean tty = inspect.path("Config").path("Tty").asBoolean(false);
        TerminalSession.requireTerminal(interactive, tty);
        try (Attachment attachment = Attachment.open(session, id, tty, interactive);
                Response exit = client().stream("POST", "/containers/" + id + "/wait" + Query.of().add("condition", "next-exit"));
                TerminalSession terminal = tty ? TerminalSession.open(client(), "/containers/" + id + "/resize", interactive) : null) {
            try {
                client().post("/containers/" + id + "/start", null);
            } catch (EngineException e) {
                throw RunCommand.startFailure(e.getMessage());
            }
            if (terminal != null) terminal.followWindowSize();
            if (!tty) SignalProxy.forward(client(), id);
            attachment.pump();
            return RunCommand.exitStatus(exit);
        }
    }
}
