package dev.berth.daemon.http;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A request body (or, after a hijack, the client's raw bytes) as a blocking InputStream for a handler on a virtual
 * thread, fed from the event loop. Backpressure: when the handler falls behind, the channel stops reading from the
 * socket until the queue drains, so a large upload never piles up in memory.
 */
final class BodyStream extends InputStream {
    private static final byte[] END = new byte[0];
    private static final int HIGH_WATER = 64;
    private static final int LOW_WATER = 8;

    private final Channel channel;
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;
    private volatile boolean paused;

    BodyStream(Channel channel) {
        this.channel = channel;
    }

    /** Event loop: a chunk arrived. */
    void offer(byte[] chunk) {
        if (chunk.length == 0) return;
        chunks.add(chunk);
        if (chunks.size() >= HIGH_WATER && !paused) {
            paused = true;
            channel.config().setAutoRead(false);
        }
    }

    /** Event loop (or close): no more bytes will come. */
    void end() {
        chunks.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == current.length) {
            if (ended) return -1;
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            pos = 0;
            if (current == END) {
                ended = true;
                chunks.add(END);
                return -1;
            }
            if (paused && chunks.size() <= LOW_WATER) {
                paused = false;
                channel.eventLoop().execute(() -> {
                    channel.config().setAutoRead(true);
                    channel.read();
                });
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - pos;
    }

    /** Reads everything, refusing bodies larger than {@code limit} (JSON bodies are small). */
    byte[] readAllLimited(int limit) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = read(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > limit) throw new IllegalArgumentException("request body larger than " + limit + " bytes");
        }
        return out.toByteArray();
    }
}
