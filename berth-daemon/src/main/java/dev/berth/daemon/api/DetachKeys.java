package dev.berth.daemon.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The key sequence that detaches a client from a TTY attach or exec, in Docker's notation (moby/term
 * {@code ToBytes}): comma-separated keys, each a single character or {@code ctrl-<c>} for {@code @}, {@code a}-{@code z},
 * {@code [}, {@code \}, {@code ]}, {@code ^}, {@code _} (codes 0-31), or {@code DEL}. The default is ctrl-p,ctrl-q.
 */
final class DetachKeys {
    private DetachKeys() {}

    static final byte[] DEFAULT = {16, 17};
    private static final String CTRL = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    /** The sequence; null for an invalid one. An empty or missing value gives the default. */
    static byte[] parse(String keys) {
        if (keys == null || keys.isEmpty()) return DEFAULT;
        String[] parts = keys.split(",", -1);
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String k = parts[i];
            if (k.length() == 1) {
                out[i] = (byte) k.charAt(0);
            } else if (k.equals("DEL")) {
                out[i] = 127;
            } else if (k.length() == 6 && k.startsWith("ctrl-") && CTRL.indexOf(k.charAt(5)) >= 0) {
                out[i] = (byte) CTRL.indexOf(k.charAt(5));
            } else {
                return null;
            }
        }
        return out;
    }

    /** Where {@link #copy} puts the client's input. */
    interface Sink {
        void write(byte[] data, int off, int len) throws IOException, InterruptedException;
    }

    /**
     * Copies a client's input to {@code sink} until it ends (false) or, with {@code keys}, until the client typed
     * them (true; the keys themselves are not passed on).
     */
    static boolean copy(InputStream in, byte[] keys, Sink sink) throws IOException, InterruptedException {
        byte[] buf = new byte[32 * 1024];
        var watcher = keys == null ? null : new Watcher(keys);
        var forward = new ByteArrayOutputStream();
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            if (watcher == null) {
                sink.write(buf, 0, n);
                continue;
            }
            forward.reset();
            boolean detach = watcher.feed(buf, 0, n, forward);
            if (forward.size() > 0) sink.write(forward.toByteArray(), 0, forward.size());
            if (detach) return true;
        }
        return false;
    }

    /**
     * Watches a client's input for the sequence, as moby/term's EscapeProxy: bytes that may begin the sequence are
     * held back, and passed on if the sequence does not follow; a complete sequence is swallowed and ends the input.
     * One per connection; not thread-safe.
     */
    static final class Watcher {
        private final byte[] keys;
        private int matched;

        Watcher(byte[] keys) {
            this.keys = keys;
        }

        /** Appends to {@code forward} what may go on to the process; true once the whole sequence was read. */
        boolean feed(byte[] buf, int off, int len, ByteArrayOutputStream forward) {
            for (int i = off; i < off + len; i++) {
                byte b = buf[i];
                if (b == keys[matched]) {
                    if (++matched == keys.length) return true;
                    continue;
                }
                if (matched > 0) {
                    forward.write(keys, 0, matched);
                    matched = 0;
                }
                if (b == keys[0]) {
                    if (keys.length == 1) return true;
                    matched = 1;
                } else {
                    forward.write(b);
                }
            }
            return false;
        }
    }
}
