package dev.berth.engine.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Complete lines from a file that may still be growing: a line without its newline yet is held back until the
 * rest arrives, so a follower never sees half a record. Scans its own buffer in bulk for newlines (a byte-at-a-time
 * read made {@code logs} slower than Docker's).
 */
final class LineReader {
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next complete line without its newline, or null when the input has no complete line more (yet). */
    byte[] next() throws IOException {
        while (true) {
            if (pos == limit) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) return null;
                pos = 0;
                limit = n;
            }
            int nl = indexOf(buf, (byte) '\n', pos, limit);
            if (nl >= 0) {
                byte[] line;
                if (pending.size() == 0) {
                    line = java.util.Arrays.copyOfRange(buf, pos, nl);
                } else {
                    pending.write(buf, pos, nl - pos);
                    line = pending.toByteArray();
                    pending.reset();
                }
                pos = nl + 1;
                return line;
            }
            pending.write(buf, pos, limit - pos);
            pos = limit;
        }
    }

    static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] == b) return i;
        return -1;
    }
}
