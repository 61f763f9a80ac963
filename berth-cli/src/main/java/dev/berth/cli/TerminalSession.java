package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.Query;
import dev.berth.sys.Terminal;
import sun.misc.Signal;

/**
 * The user's terminal while attached to a container's TTY, as Docker's CLI handles it: raw mode on our stdin when it
 * is a terminal and stdin is attached (keys, ctrl-c included, go to the container), the window size sent once the
 * container runs and again on every SIGWINCH, and the terminal restored on the way out, also at a JVM shutdown.
 */
final class TerminalSession implements AutoCloseable {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    private final EngineClient client;
    private final String resizePath;
    private final Runnable restore;
    private final Thread restoreAtExit;

    private TerminalSession(EngineClient client, String resizePath, Runnable restore) {
        this.client = client;
        this.resizePath = resizePath;
        this.restore = restore;
        this.restoreAtExit = restore == null ? null : new Thread(restore, "terminal-restore");
        if (restoreAtExit != null) Runtime.getRuntime().addShutdownHook(restoreAtExit);
    }

    /** {@code resizePath} is {@code /containers/ID/resize} (or an exec's); raw mode only when stdin is attached. */
    static TerminalSession open(EngineClient client, String resizePath, boolean stdinAttached) {
        Runnable restore = stdinAttached && Terminal.isTerminal(STDIN) ? Terminal.makeRaw(STDIN) : null;
        return new TerminalSession(client, resizePath, restore);
    }

    /**
     * Docker's CheckTty: a TTY with stdin attached needs a terminal on our stdin, or keys could not be passed as typed
     * (piped input would be echoed and mangled by the container's terminal).
     */
    static void requireTerminal(boolean stdinAttached, boolean tty) {
        if (tty && stdinAttached && !Terminal.isTerminal(STDIN)) throw new Failure(1, "the input device is not a TTY");
    }

    /** The size of our terminal as {@code [rows, columns]} for HostConfig.ConsoleSize, or null when there is none. */
    static int[] currentSize() {
        Terminal.Size s = Terminal.size(STDOUT);
        return s == null || s.rows() == 0 ? null : new int[] {s.rows(), s.columns()};
    }

    /** Sends the size now and whenever the window changes. */
    void followWindowSize() {
        sendSize();
        try {
            Signal.handle(new Signal("WINCH"), s -> sendSize());
        } catch (IllegalArgumentException unavailable) {
            // No SIGWINCH on this platform: the size sent at the start stays.
        }
    }

    private void sendSize() {
        int[] size = currentSize();
        if (size == null) return;
        try {
            client.post(resizePath + Query.of().add("h", size[0]).add("w", size[1]), null);
        } catch (RuntimeException ignored) {
            // The container may have exited meanwhile; a lost resize is harmless.
        }
    }

    @Override
    public void close() {
        if (restore == null) return;
        restore.run();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing left to undo.
        }
    }
}
