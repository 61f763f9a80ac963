package dev.berth.cli;

import dev.berth.client.HijackedStream;
import dev.berth.client.StreamDemultiplexer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "exec", description = "Execute a command in a running container",
        customSynopsis = "berth exec [OPTIONS] CONTAINER COMMAND [ARG...]")
final class ExecCommand extends CliCommand {
    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Option(names = "--privileged", description = "Give extended privileges to the command")
    boolean privileged;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    ExecCommand(Session session) {
        super(session);
    }

    @Override
    int run() throws Exception {
        if (!detach) TerminalSession.requireTerminal(interactive, tty);
        var body = new LinkedHashMap<String, Object>();
        body.put("User", user == null ? "" : user);
        body.put("Privileged", privileged);
        body.put("Tty", tty);
        body.put("AttachStdin", interactive && !detach);
        body.put("AttachStdout", !detach);
        body.put("AttachStderr", !detach);
        if (detachKeys != null) body.put("DetachKeys", detachKeys);
        body.put("Env", env.stream().filter(e -> e.contains("=") || session.env.containsKey(e))
                .map(e -> e.contains("=") ? e : e + "=" + session.env.get(e)).toList());
        if (workdir != null) body.put("WorkingDir", workdir);
        body.put("Cmd", command);
        if (tty) {
            int[] size = TerminalSession.currentSize();
            if (size != null) body.put("ConsoleSize", List.of(size[0], size[1]));
        }
        String execId = client().post("/containers/" + container + "/exec", body).get("Id").asString();

        Map<String, Object> start = new LinkedHashMap<>();
        start.put("Detach", detach);
        start.put("Tty", tty);
        if (detach) {
            client().post("/exec/" + execId + "/start", start);
            return 0;
        }
        try (HijackedStream stream = client().hijack("/exec/" + execId + "/start", start);
                TerminalSession terminal = tty ? TerminalSession.open(client(), "/exec/" + execId + "/resize", interactive) : null) {
            if (terminal != null) terminal.followWindowSize();
            if (interactive) Attachment.feed(session, stream);
            try {
                if (tty) StreamDemultiplexer.copyRaw(stream.input(), session.out);
                else StreamDemultiplexer.copy(stream.input(), session.out, session.err);
            } catch (java.io.IOException endOfStream) {
                // The daemon closing the stream at the exec's end is not an error for the user.
            }
        }
        return exitCode(execId);
    }

    /** The exec's exit code, once the daemon has recorded it (it may lag the end of the stream by a moment). */
    private int exitCode(String execId) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode state = client().get("/exec/" + execId + "/json");
            if (!state.path("Running").asBoolean()) return state.path("ExitCode").asInt(126);
            Thread.sleep(10);
        }
        return client().get("/exec/" + execId + "/json").path("ExitCode").asInt(126);
    }
}
