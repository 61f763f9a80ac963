package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hijacked stream through a real server on a unix socket: everything written arrives, also when the client has
 * shut down its side (Go's CloseWrite, which the Docker CLI does right after attaching without stdin) and the
 * output outruns the socket buffers. Without {@link EpollRegistrationGuard}, about one run in three was cut short.
 */
class HijackStreamTest {
    private static final int TOTAL = 40 * 1024 * 1024;

    @TempDir
    Path tmp;
    private ApiServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private Path serve() throws Exception {
        var router = new Router().hijack("POST", "/containers/{id}/attach", ex -> {
            byte[] chunk = new byte[8192];
            Arrays.fill(chunk, (byte) 'x');
            try (OutputStream out = ex.hijack(false)) {
                for (int sent = 0; sent < TOTAL; sent += chunk.length) out.write(chunk, 0, chunk.length);
            }
        });
        server = new ApiServer(router);
        Path sock = tmp.resolve("d.sock");
        server.listen("unix://" + sock);
        return sock;
    }

    private static long readAll(Path sock, boolean halfClose) throws Exception {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            String req = "POST /v1.50/containers/x/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: d\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
            ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            if (halfClose) ch.shutdownOutput();
            InputStream in = java.nio.channels.Channels.newInputStream(ch);
            // skip the head
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) return -1;
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if ((total & 0xFFFFF) < n) Thread.sleep(1); // a client slower than the producer now and then
            }
            return total;
        }
    }

    @Test
    void everythingArrives_afterTheClientShutsDownItsOutput() throws Exception {
        assertThat(EpollRegistrationGuard.available()).as("the epoll workaround applies to this Netty").isTrue();
        Path sock = serve();
        for (int i = 0; i < 5; i++) {
            var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return readAll(sock, true);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(result.get(30, TimeUnit.SECONDS)).as("run %d", i).isEqualTo(TOTAL);
        }
    }

    @Test
    void close_whileAHandlerStreams_endsItWithoutErrors() throws Exception {
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logged.start();
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        try {
            var streaming = new java.util.concurrent.CountDownLatch(1);
            var router = new Router().hijack("POST", "/containers/{id}/attach", ex -> {
                OutputStream out = ex.hijack(false);
                try {
                    streaming.countDown();
                    new java.util.concurrent.CountDownLatch(1).await(); // output that does not come
                } finally {
                    // as the attach handler does when the daemon stops; a moment later, as a busy handler would
                    long until = System.nanoTime() + 200_000_000L;
                    while (System.nanoTime() < until) Thread.onSpinWait();
                    out.close();
                }
            });
            server = new ApiServer(router);
            Path sock = tmp.resolve("w.sock");
            server.listen("unix://" + sock);
            try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                ch.write(ByteBuffer.wrap("POST /containers/x/attach HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
                assertThat(streaming.await(5, TimeUnit.SECONDS)).isTrue();
                server.close();
                server = null;
            }
            Thread.sleep(500); // past the handler's close, however the shutdown was ordered
            assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        } finally {
            root.detachAppender(logged);
        }
    }

    @Test
    void everythingArrives_withTheClientsOutputOpen() throws Exception {
        Path sock = serve();
        assertThat(readAll(sock, false)).isEqualTo(TOTAL);
    }

    @Test
    void anOversizedBodyOnAHijackRoute_isRefusedBeforeItIsRead() throws Exception {
        Path sock = serve();
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            // A 2 GB Content-Length and no body: refused at once rather than waited for.
            String req = "POST /v1.50/containers/x/attach HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n";
            ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            var reply = new java.util.concurrent.CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    ch.read(buf);
                    reply.complete(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    reply.completeExceptionally(e);
                }
            });
            String head = reply.get(10, TimeUnit.SECONDS);
            assertThat(head).startsWith("HTTP/1.1 400").contains("request body too large");
        }
    }
}
