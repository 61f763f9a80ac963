package dev.berth.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection to the daemon. The streams call the channel directly rather than through
 * {@code Channels.newInputStream}, so one thread may block reading (a hijacked stdout) while another writes stdin.
 */
final class Connection implements AutoCloseable {
    private final SocketChannel channel;
    final InputStream in;
    final OutputStream out;

    private Connection(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(new ChannelIn(channel), 65536);
        this.out = new BufferedOutputStream(new ChannelOut(channel), 65536);
    }

    static Connection open(DaemonHost host) {
        try {
            SocketChannel ch = SocketChannel.open(host.family());
            try {
                ch.connect(host.address());
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new Connection(ch);
        } catch (IOException e) {
            throw new DaemonUnreachableException(host, e);
        }
    }

    /** Half-closes the connection: the daemon sees end of stdin while the response keeps flowing. */
    void shutdownOutput() throws IOException {
        out.flush();
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the connection is gone either way.
        }
    }

    private static final class ChannelIn extends InputStream {
        private final SocketChannel ch;

        ChannelIn(SocketChannel ch) {
            this.ch = ch;
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
            int n = ch.read(ByteBuffer.wrap(b, off, len));
            return n == 0 ? -1 : n;
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final SocketChannel ch;

        ChannelOut(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) ch.write(buf);
        }
    }
}
