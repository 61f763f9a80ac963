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
        try (Attachment attachment = Attachment.open(session, id, options.tty, options.interactive, detachKeys);
                Response exit = waitForExit(id);
                TerminalSession terminal = options.tty
                        ? TerminalSession.open(client(), "/containers/" + id + "/resize", options.interactive) : null) {
            start(id);
            if (terminal != null) terminal.followWindowSize();
            if (sigProxy && !options.tty) SignalProxy.forward(client(), id);
            attachment.pump();
            return options.tty && options.interactive ? exitOrDetached(client(), id, exit) : exitStatus(exit);
        }
    }

    /**
     * With a TTY the daemon also ends the stream when the user types the detach keys; the container then runs on and
     * run returns 0, as Docker's does. An exit ends the stream too, and its status follows within moments.
     */
    static int exitOrDetached(dev.berth.client.EngineClient client, String id, Response exit) throws InterruptedException {
        var status = new java.util.concurrent.CompletableFuture<Integer>();
        Thread.ofVirtual().start(() -> {
            try {
                status.complete(exitStatus(exit));
            } catch (RuntimeException e) {
                status.completeExceptionally(e);
            }
        });
        try {
            return status.get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            if (client.get("/containers/" + id + "/json").path("State").path("Running").asBoolean()) return 0;
            return status.join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Asked for before the start, so an exit that comes at once is not missed; {@code removed} with --rm. */
    private Response waitForExit(String id) {
        String condition = options.autoRemove ? "removed" : "next-exit";
        return client().stream("POST", "/containers/" + id + "/wait" + Query.of().add("condition", condition));
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

    static int exitStatus(Response wait) {
        JsonNode reply = dev.berth.client.EngineClient.json().readTree(wait.bytes());
        String error = reply.path("Error").path("Message").asString("");
        if (!error.isEmpty()) throw new Failure(125, "berth: Error response from daemon: " + error);
        return reply.path("StatusCode").asInt(125);
    }
}
