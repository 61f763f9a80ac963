package dev.berth.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;

/**
 * One connection to the daemon. The streams call the channel directly rather than through
 * {@code Channels.newInputStream}, so one thread may block reading (a hijacked stdout) while another writes stdin.
 */
final class Connection implements AutoCloseable {
    private final Closeable transport;
    private final HalfClose halfClose;
    final InputStream in;
    final OutputStream out;

    private interface HalfClose {
        void shutdownOutput() throws IOException;
    }

    private Connection(Closeable transport, InputStream in, OutputStream out, HalfClose halfClose) {
        this.transport = transport;
        this.in = new BufferedInputStream(in, 65536);
        this.out = new BufferedOutputStream(out, 65536);
        this.halfClose = halfClose;
    }

    static Connection open(DaemonHost host) {
        return open(host, null);
    }

    /** A plain connection, or with {@code tls} (tcp only) a TLS one whose handshake is done before this returns. */
    static Connection open(DaemonHost host, ClientTls tls) {
        if (tls != null && host.address() instanceof InetSocketAddress address) return openTls(host, address, tls);
        try {
            SocketChannel ch = SocketChannel.open(host.family());
            try {
                ch.connect(host.address());
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new Connection(ch, new ChannelIn(ch), new ChannelOut(ch), ch::shutdownOutput);
        } catch (IOException e) {
            throw new DaemonUnreachableException(host, e);
        }
    }

    private static Connection openTls(DaemonHost host, InetSocketAddress address, ClientTls tls) {
        Socket plain = new Socket();
        try {
            plain.connect(address);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new DaemonUnreachableException(host, e);
        }
        try {
            SSLSocket s = tls.wrap(plain, address.getHostString(), address.getPort());
            // With TLS 1.3 the JDK half-closes by sending close_notify and keeps reading, as Go's CloseWrite does.
            return new Connection(s, s.getInputStream(), s.getOutputStream(), s::shutdownOutput);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new DaemonUnreachableException(host, e);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    /** Half-closes the connection: the daemon sees end of stdin while the response keeps flowing. */
    void shutdownOutput() throws IOException {
        out.flush();
        halfClose.shutdownOutput();
    }

    @Override
    public void close() {
        closeQuietly(transport); // the connection is gone either way
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
