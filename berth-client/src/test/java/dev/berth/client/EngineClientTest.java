package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a scripted peer on a real unix socket: what goes on the wire and how replies are read. The same
 * paths run against berthd in berth-it.
 */
class EngineClientTest {
    @TempDir
    Path dir;

    @Test
    void get_sendsTheVersionedPath_andParsesJson() throws Exception {
        var seen = serveOnce(request -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"Os\":\"linux\"}");
        var client = new EngineClient(DaemonHost.parse("unix://" + dir.resolve("s")));
        assertThat(client.get("/version").get("Os").asString()).isEqualTo("linux");
        assertThat(seen.get()).startsWith("GET /v1.50/version HTTP/1.1\r\n").contains("Connection: close\r\n");
    }

    @Test
    void errorStatus_becomesAnEngineException() throws Exception {
        serveOnce(request -> "HTTP/1.1 409 Conflict\r\nContent-Length: 24\r\n\r\n{\"message\":\"is running\"}");
        var client = new EngineClient(DaemonHost.parse("unix://" + dir.resolve("s")));
        assertThatThrownBy(() -> client.delete("/containers/x"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage("is running");
    }

    @Test
    void upload_sendsAChunkedBody() throws Exception {
        var seen = serveOnce(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
        var client = new EngineClient(DaemonHost.parse("unix://" + dir.resolve("s")));
        try (var r = client.upload("POST", "/images/create?fromSrc=-", new ByteArrayInputStream("tar bytes".getBytes()), "application/x-tar")) {
            assertThat(new String(r.body().readAllBytes())).isEqualTo("ok");
        }
        assertThat(seen.get()).contains("Transfer-Encoding: chunked\r\n").endsWith("\r\n\r\n9\r\ntar bytes\r\n0\r\n\r\n");
    }

    @Test
    void hijack_keepsBytesThatCameWithTheResponseHead() throws Exception {
        serveOnce(request -> "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0003hi\n");
        var client = new EngineClient(DaemonHost.parse("unix://" + dir.resolve("s")));
        try (HijackedStream h = client.hijack("/containers/x/attach?stream=1&stdout=1", null)) {
            var out = new java.io.ByteArrayOutputStream();
            StreamDemultiplexer.copy(h.input(), out, out);
            assertThat(out.toString()).isEqualTo("hi\n");
        }
    }

    @Test
    void noDaemon_isDaemonUnreachable() {
        var client = new EngineClient(DaemonHost.parse("unix://" + dir.resolve("missing.sock")));
        assertThatThrownBy(() -> client.get("/_ping")).isInstanceOf(DaemonUnreachableException.class)
                .hasMessage("Cannot connect to the Berth daemon at unix://" + dir.resolve("missing.sock") + ". Is the daemon running?");
    }

    /** Accepts one connection, reads the request until the client half-closes or a full head (and body) arrived. */
    private CompletableFuture<String> serveOnce(Function<String, String> reply) throws IOException {
        Path sock = dir.resolve("s");
        Files.deleteIfExists(sock);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel ch = server.accept()) {
                InputStream in = Channels.newInputStream(ch);
                String request = readRequest(in);
                OutputStream out = Channels.newOutputStream(ch);
                out.write(reply.apply(request).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return request;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String readRequest(InputStream in) throws IOException {
        var sb = new StringBuilder();
        while (!sb.toString().contains("\r\n\r\n")) sb.append((char) in.read());
        String head = sb.toString();
        if (head.contains("Transfer-Encoding: chunked")) {
            while (!sb.toString().endsWith("0\r\n\r\n")) sb.append((char) in.read());
        } else {
            var m = java.util.regex.Pattern.compile("Content-Length: (\\d+)").matcher(head);
            if (m.find()) for (int i = Integer.parseInt(m.group(1)); i > 0; i--) sb.append((char) in.read());
        }
        return sb.toString();
    }
}
