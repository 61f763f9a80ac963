package dev.berth.cli;

import dev.berth.client.HijackedStream;
import dev.berth.client.Query;
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
