package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The byte-level parts of the client: hosts, chunked bodies, response heads, multiplexed streams, errors. */
class WireFormatTest {
    @Test
    void host_fromFlagThenEnvironment_thenDefault() {
        assertThat(DaemonHost.resolve(null, Map.of()).address()).isEqualTo(UnixDomainSocketAddress.of("/var/run/berth.sock"));
        assertThat(DaemonHost.resolve(null, Map.of("DOCKER_HOST", "unix:///d.sock")).text()).isEqualTo("unix:///d.sock");
        assertThat(DaemonHost.resolve(null, Map.of("DOCKER_HOST", "unix:///d", "BERTH_HOST", "unix:///b")).text()).isEqualTo("unix:///b");
        assertThat(DaemonHost.resolve("tcp://127.0.0.1:2375", Map.of("BERTH_HOST", "unix:///b")).address())
                .isEqualTo(new InetSocketAddress("127.0.0.1", 2375));
        assertThat(DaemonHost.parse("tcp://localhost").address()).isEqualTo(new InetSocketAddress("localhost", 2375));
        assertThatThrownBy(() -> DaemonHost.parse("ftp://x")).hasMessageContaining("invalid host");
        assertThatThrownBy(() -> DaemonHost.parse("tcp://h:port")).hasMessageContaining("bad port");
    }

    @Test
    void chunkedBody_isDecoded_andTrailersDropped() throws IOException {
        byte[] wire = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\nNEXT".getBytes(StandardCharsets.US_ASCII);
        var in = new ByteArrayInputStream(wire);
        assertThat(new String(new ChunkedInputStream(in).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
    }

    @Test
    void chunkedBody_cutShort_isAnError() {
        var in = new ChunkedInputStream(new ByteArrayInputStream("a\r\nabc".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class);
    }

    @Test
    void responseHead_namesAreCaseInsensitive() throws IOException {
        var head = HttpHead.readResponse(new ByteArrayInputStream(
                "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nUpgrade: tcp\r\n\r\n".getBytes()));
        assertThat(head.code()).isEqualTo(101);
        assertThat(head.header("upgrade")).isEqualTo("tcp");
        assertThatThrownBy(() -> HttpHead.readResponse(new ByteArrayInputStream("SSH-2.0\r\n\r\n".getBytes())))
                .hasMessageContaining("not an HTTP response");
    }

    @Test
    void multiplexedStream_splitsStdoutAndStderr() throws IOException {
        var wire = new ByteArrayOutputStream();
        frame(wire, 1, "out\n");
        frame(wire, 2, "err\n");
        frame(wire, 1, "");
        frame(wire, 1, "more");
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        StreamDemultiplexer.copy(new ByteArrayInputStream(wire.toByteArray()), out, err);
        assertThat(out.toString()).isEqualTo("out\nmore");
        assertThat(err.toString()).isEqualTo("err\n");
    }

    @Test
    void multiplexedStream_withAnUnknownStream_isRefused() {
        byte[] bad = {7, 0, 0, 0, 0, 0, 0, 1, 'x'};
        assertThatThrownBy(() -> StreamDemultiplexer.copy(new ByteArrayInputStream(bad), OutputStreamSink.INSTANCE, OutputStreamSink.INSTANCE))
                .hasMessageContaining("unrecognized stream");
    }

    @Test
    void errorBody_givesTheDaemonsMessage() {
        assertThat(EngineClient.error(404, "{\"message\":\"No such container: x\"}".getBytes()).getMessage()).isEqualTo("No such container: x");
        assertThat(EngineClient.error(500, "plain text\n".getBytes()).getMessage()).isEqualTo("plain text");
        assertThat(EngineClient.error(502, new byte[0]).getMessage()).isEqualTo("status 502");
    }

    @Test
    void query_encodesValues_andSkipsUnset() {
        assertThat(Query.of().add("all", true).add("limit", null).add("size", false).add("name", "a b&c").toString())
                .isEqualTo("?all=1&name=a%20b%26c");
        assertThat(Query.of().addBool("stream", false).toString()).isEqualTo("?stream=0");
    }

    private static void frame(ByteArrayOutputStream wire, int stream, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        wire.writeBytes(new byte[] {(byte) stream, 0, 0, 0, 0, 0, (byte) (data.length >> 8), (byte) data.length});
        wire.writeBytes(data);
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }
    }
}
