package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTlsTest {
    @TempDir
    Path dir;

    private static final ClientTls.Flags NONE = new ClientTls.Flags(null, null, null, null, null);

    @Test
    void noFlagsAndNoEnvironment_meanPlainConnections() {
        assertThat(ClientTls.resolve(NONE, Map.of())).isNull();
        assertThat(ClientTls.resolve(NONE, Map.of("DOCKER_TLS_VERIFY", ""))).isNull();
    }

    @Test
    void tlsAlone_needsNoFiles() {
        assertThat(ClientTls.resolve(new ClientTls.Flags(true, null, null, null, null), Map.of("DOCKER_CERT_PATH", dir.toString())))
                .isNotNull();
    }

    @Test
    void verify_fromTheFlagOrDockerTlsVerify_needsTheCaFromTheCertPath() {
        assertThatThrownBy(() -> ClientTls.resolve(NONE, Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", dir.toString())))
                .hasMessageContaining(dir.resolve("ca.pem").toString());
        assertThatThrownBy(() -> ClientTls.resolve(new ClientTls.Flags(null, true, null, null, null), Map.of("DOCKER_CERT_PATH", dir.toString())))
                .hasMessageContaining(dir.resolve("ca.pem").toString());
    }

    @Test
    void aNamedClientCertificate_mustExist() {
        assertThatThrownBy(() -> ClientTls.resolve(new ClientTls.Flags(true, null, null, dir.resolve("c.pem").toString(),
                dir.resolve("k.pem").toString()), Map.of())).hasMessageContaining("c.pem");
    }

    @Test
    void aTcpHostWithoutPort_is2376WithTls() {
        assertThat(((InetSocketAddress) DaemonHost.parse("tcp://10.0.0.1", true).address()).getPort()).isEqualTo(2376);
        assertThat(((InetSocketAddress) DaemonHost.parse("tcp://10.0.0.1", false).address()).getPort()).isEqualTo(2375);
    }
}
