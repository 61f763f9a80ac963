package dev.berth.daemon.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's multiplexed stream for containers without a TTY: each frame is an 8-byte header
 * {@code [stream, 0, 0, 0, size (big-endian uint32)]} and the payload; stream 1 is stdout, 2 stderr. With a TTY the
 * bytes go as they are.
 */
final class StreamFrames {
    private StreamFrames() {}

    static final int STDOUT = 1;
    static final int STDERR = 2;

    /** The 8-byte header of a frame of {@code len} bytes; the payload follows it. */
    static void writeHeader(OutputStream out, int stream, int len) throws IOException {
        out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
    }

    static void write(OutputStream out, boolean multiplexed, int stream, byte[] data, int off, int len) throws IOException {
        if (multiplexed) {
            byte[] frame = new byte[8 + len];
            frame[0] = (byte) stream;
            frame[4] = (byte) (len >>> 24);
            frame[5] = (byte) (len >>> 16);
            frame[6] = (byte) (len >>> 8);
            frame[7] = (byte) len;
            System.arraycopy(data, off, frame, 8, len);
            out.write(frame);
        } else {
            out.write(data, off, len);
        }
    }
}
