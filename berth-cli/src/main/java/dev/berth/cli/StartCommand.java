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

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

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
        return Attachment.session(session, id, tty, interactive, detachKeys, true, "next-exit", () -> {
            try {
                client().post("/containers/" + id + "/start", null);
            } catch (EngineException e) {
                throw RunCommand.startFailure(e.getMessage());
            }
        });
    }
}
