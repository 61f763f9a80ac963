package dev.berth.cli;

import dev.berth.client.Query;
import dev.berth.client.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attach", description = "Attach local standard input, output, and error streams to a running container",
        customSynopsis = "berth attach [OPTIONS] CONTAINER")
final class AttachCommand extends CliCommand {
    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;

    @Option(names = "--sig-proxy", arity = "0..1", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Proxy all received signals to the process (default true)")
    boolean sigProxy;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    AttachCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        var inspect = client().get("/containers/" + container + "/json");
        String id = inspect.get("Id").asString();
        var state = inspect.path("State");
        if (!state.path("Running").asBoolean()) throw new Failure(1, "You cannot attach to a stopped container, start it first");
        if (state.path("Paused").asBoolean()) throw new Failure(1, "You cannot attach to a paused container, unpause it first");
        boolean tty = inspect.path("Config").path("Tty").asBoolean();
        boolean stdin = !noStdin && inspect.path("Config").path("OpenStdin").asBoolean();
        TerminalSession.requireTerminal(stdin, tty);
        return Attachment.session(session, id, tty, stdin, detachKeys, sigProxy, "next-exit", () -> { });
    }
}
