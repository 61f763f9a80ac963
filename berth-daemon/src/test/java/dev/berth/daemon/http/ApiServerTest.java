package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {
    @TempDir
    Path tmp;

    @Test
    void inUse_isTrue_whileAProcessListensOnTheSocket() throws Exception {
        Path sock = tmp.resolve("d.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            assertThat(ApiServer.inUse(sock)).isTrue();
        }
    }

    @Test
    void inUse_isFalse_forAStaleSocketFileOrNone() throws Exception {
        Path sock = tmp.resolve("d.sock");
        assertThat(ApiServer.inUse(sock)).isFalse();
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
        }
        assertThat(Files.exists(sock)).isTrue(); // closing a listener leaves its file, as a killed daemon does
        assertThat(ApiServer.inUse(sock)).isFalse();
    }
}
