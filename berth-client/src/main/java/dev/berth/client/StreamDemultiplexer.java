package dev.berth.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Splits the Engine API's multiplexed stream (attach and logs without a TTY): frames of an 8-byte header
 * {@code [stream, 0, 0, 0, size(4, big-endian)]} followed by {@code size} bytes, where stream 1 is stdout and 2 is
 * stderr (0, stdin, is written to stdout as Docker's stdcopy does).
 */
public final class StreamDemultiplexer {
    private StreamDemultiplexer() {
    }

    /**
     * Copies frames until the stream ends. Output is flushed whenever no more input is waiting (so it appears as it
     * arrives) and when the stream switches (so stdout and stderr keep their order on a terminal), not per frame: a
     * write per line made reading a big log slow.
     */
    public static void copy(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[32768];
        OutputStream last = null;
        while (true) {
            int got = in.readNBytes(header, 0, 8);
            if (got == 0) {
                stdout.flush();
                stderr.flush();
                return;
            }
            if (got < 8) throw new EOFException("stream ended inside a frame header");
            OutputStream target = switch (header[0]) {
                case 0, 1 -> stdout;
                case 2 -> stderr;
                default -> throw new IOException("unrecognized stream in the multiplexed output: " + header[0]);
            };
            if (last != null && last != target) last.flush();
            last = target;
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            while (size > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) throw new EOFException("stream ended inside a frame");
                target.write(buf, 0, n);
                size -= n;
            }
            if (in.available() == 0) target.flush();
        }
    }

    /** The raw stream of a container with a TTY: copied as it is, flushed whenever no more input is waiting. */
    public static void copyRaw(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[32768];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            if (in.available() == 0) out.flush();
        }
        out.flush();
    }
}
