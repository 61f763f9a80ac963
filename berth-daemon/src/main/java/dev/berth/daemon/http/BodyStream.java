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

    /** Set once the response went out before the body was read: the rest is dropped (event loop only). */
    private boolean draining;
    private long drained;
    private long drainLimit;
    private Runnable afterDrain;
    /** Whether the whole HTTP request was read (event loop only); a hijacked stream's bytes come after it. */
    private boolean requestComplete;

    /** Event loop: a chunk arrived. */
    void offer(byte[] chunk) {
        if (chunk.length == 0) return;
        if (draining) {
            drained += chunk.length;
            if (drained > drainLimit) channel.close(); // too much left to wait for: the client sees the connection end
            return;
        }
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

    /** Event loop: the request's last content arrived (whether its body was read, dropped or is hijacked next). */
    void requestComplete() {
        requestComplete = true;
        if (draining && afterDrain != null) {
            Runnable then = afterDrain;
            afterDrain = null;
            then.run();
        }
    }

    /**
     * After the response: reads what is left of the body and drops it, then runs {@code then} (on the event loop).
     * Closing a socket with unread input resets the connection, and a client still sending a body it was refused
     * (a {@code cp} to a path that does not exist) would see the reset instead of the answer. More than {@code limit}
     * bytes left closes the connection instead, as Go's server gives up after 256 KiB.
     */
    void drain(long limit, Runnable then) {
        channel.eventLoop().execute(() -> {
            if (requestComplete) {
                then.run();
                return;
            }
            draining = true;
            drainLimit = limit;
            afterDrain = then;
            chunks.clear();
            paused = false;
            channel.config().setAutoRead(true);
            channel.read();
        });
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
