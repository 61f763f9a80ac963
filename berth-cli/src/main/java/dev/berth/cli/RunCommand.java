package dev.berth.cli;

import dev.berth.client.EngineException;
import dev.berth.client.Query;
import dev.berth.client.Response;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "run", description = "Create and run a new container from an image",
        customSynopsis = "berth run [OPTIONS] IMAGE [COMMAND] [ARG...]")
class RunCommand extends CliCommand {
    @Mixin
    ContainerOptions options;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--sig-proxy", arity = "0..1", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Proxy received signals to the process (default true)")
    boolean sigProxy;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    RunCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        if (!detach) TerminalSession.requireTerminal(options.interactive, options.tty);
        String id = ContainerCreation.create(session, options, image, command, !detach);
        if (detach) {
            start(id);
            session.out.println(id);
            return 0;
        }
        String condition = options.autoRemove ? "removed" : "next-exit";
        return Attachment.session(session, id, options.tty, options.interactive, detachKeys, sigProxy, condition,
                () -> start(id));
    }

    private void start(String id) {
        try {
            client().post("/containers/" + id + "/start", null);
        } catch (EngineException e) {
            throw startFailure(e.getMessage());
        }
    }

    /** Docker's CLI: 127 when the command is missing, 126 when it cannot be run, 125 otherwise. */
    static Failure startFailure(String message) {
        int code = 125;
        if (message.contains("executable file not found") || message.contains("no such file or directory")) {
            code = 127;
        } else if (message.contains("permission denied") || message.contains("is a directory")) {
            code = 126;
        }
        return new Failure(code, "berth: Error response from daemon: " + message + "\n\nRun 'berth run --help' for more information");
    }
}
