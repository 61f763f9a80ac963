package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.HijackedStream;
import dev.berth.client.Query;
import dev.berth.client.Response;
import dev.berth.client.StreamDemultiplexer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A hijacked attach to a container's stdio: opened before the container starts so no output is missed, then pumped
 * until the container closes its output. Without a TTY the stream is multiplexed and split into stdout and stderr.
 */
final class Attachment implements AutoCloseable {
    private final Session session;
    private final HijackedStream stream;
    private final boolean tty;
    private final boolean stdin;

    private Attachment(Session session, HijackedStream stream, boolean tty, boolean stdin) {
        this.session = session;
        this.stream = stream;
        this.tty = tty;
        this.stdin = stdin;
    }

    static Attachment open(Session session, String id, boolean tty, boolean stdin) {
        return open(session, id, tty, stdin, null);
    }

    /** {@code detachKeys} overrides the daemon's detach sequence (ctrl-p ctrl-q) for this attach. */
    static Attachment open(Session session, String id, boolean tty, boolean stdin, String detachKeys) {
        String path = "/containers/" + id + "/attach" + Query.of().add("stream", true).add("stdin", stdin)
                .add("stdout", true).add("stderr", true).add("detachKeys", detachKeys);
        return new Attachment(session, session.client().hijack(path, null), tty, stdin);
    }

    /** Copies stdin to the container (if attached) and its output to ours until the container closes it. */
    void pump() throws IOException {
        if (stdin) feed(session, stream);
        try {
            if (tty) {
                StreamDemultiplexer.copyRaw(stream.input(), session.out);
            } else {
                StreamDemultiplexer.copy(stream.input(), session.out, session.err);
            }
        } catch (IOException e) {
            // The daemon closing the stream mid-frame at exit is the end of output, not an error for the user.
        }
        session.out.flush();
        session.err.flush();
    }

    /**
     * The attached part of run, start -a and attach: the user's terminal when there is a TTY, signals passed on
     * without one (with {@code sigProxy}), output until the container closes it; then its exit status, or 0 when the
     * user detached. {@code start} runs once the attach and the wait for the exit are in place, so nothing is missed
     * (the wait is {@code removed} for run --rm, so the container is gone when run returns).
     */
    static int session(Session session, String id, boolean tty, boolean stdin, String detachKeys, boolean sigProxy,
                       String waitCondition, Runnable start) throws IOException, InterruptedException {
        EngineClient client = session.client();
        try (Attachment attachment = open(session, id, tty, stdin, detachKeys);
                Response exit = client.stream("POST", "/containers/" + id + "/wait" + Query.of().add("condition", waitCondition));
                TerminalSession terminal = tty ? TerminalSession.open(client, "/containers/" + id + "/resize", stdin) : null) {
            start.run();
            if (terminal != null) terminal.followWindowSize();
            if (sigProxy && !tty) SignalProxy.forward(client, id);
            attachment.pump();
            // Detach keys are typed on a TTY: only then can the stream end while the container runs on.
            return tty && stdin ? exitOrDetached(client, id, exit) : exitStatus(exit);
        }
    }

    /**
     * With a TTY the daemon also ends the stream when the user types the detach keys; the container then runs on and
     * the command returns 0, as Docker's does. An exit ends the stream too, and its status follows within moments.
     */
    private static int exitOrDetached(EngineClient client, String id, Response exit) throws InterruptedException {
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

    private static int exitStatus(Response wait) {
        var reply = EngineClient.json().readTree(wait.bytes());
        String error = reply.path("Error").path("Message").asString("");
        if (!error.isEmpty()) throw new Failure(125, "berth: Error response from daemon: " + error);
        return reply.path("StatusCode").asInt(125);
    }

    /** Copies our stdin to a hijacked stream on a daemon thread, half-closing it at end of input. */
    static void feed(Session session, HijackedStream stream) {
        Thread feeder = new Thread(() -> copyStdin(session, stream), "stdin");
        feeder.setDaemon(true); // a read of the terminal cannot be interrupted; the exit ends it
        feeder.start();
    }

    private static void copyStdin(Session session, HijackedStream stream) {
        try {
            OutputStream to = stream.output();
            InputStream from = session.in;
            byte[] buf = new byte[8192];
            for (int n; (n = from.read(buf)) >= 0; ) {
                to.write(buf, 0, n);
                to.flush();
            }
            stream.closeInput();
        } catch (IOException ignored) {
            // The container went away; its exit status tells the rest.
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
