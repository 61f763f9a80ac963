package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subnets as dockerd checks them, and leases of a user-defined network: its gateway, --ip-range and --ip. */
class SubnetAndRangeTest {
    @TempDir Path tmp;

    @Test
    void subnets_parseClearHostBits_andOverlap() {
        var s = Subnet.parse("10.1.2.3/16");
        assertThat(s).hasToString("10.1.0.0/16");
        assertThat(s.contains(BridgeNetwork.toInt("10.1.255.255"))).isTrue();
        assertThat(s.contains(BridgeNetwork.toInt("10.2.0.0"))).isFalse();
        assertThat(s.overlaps(Subnet.parse("10.1.5.0/24"))).isTrue();
        assertThat(Subnet.parse("10.0.0.0/8").overlaps(s)).isTrue();
        assertThat(s.overlaps(Subnet.parse("10.2.0.0/16"))).isFalse();
        assertThat(s.contains(Subnet.parse("10.1.9.0/24"))).isTrue();
        assertThat(s.contains(Subnet.parse("10.0.0.0/8"))).isFalse();
        assertThat(s.last()).isEqualTo(BridgeNetwork.toInt("10.1.255.255"));
        for (String bad : new String[] {"10.1.0.0", "10.1.0.0/33", "10.1.0/16", "x/8", "10.1.0.0/a"}) {
            assertThatThrownBy(() -> Subnet.parse(bad)).hasMessageContaining("invalid CIDR address: " + bad);
        }
    }

    @Test
    void leases_skipTheGateway_stayInTheRange_andHonourARequestedAddress() throws Exception {
        Files.createDirectories(tmp.resolve("root"));
        var n = new BridgeNetwork("bt1", Subnet.parse("10.9.0.0/24"), "10.9.0.129", Subnet.parse("10.9.0.128/30"),
                tmp.resolve("leases"), tmp.resolve("root"), "vn1234");
        assertThat(n.gatewayIp()).isEqualTo("10.9.0.129");
        assertThat(n.lease("a".repeat(64)).ip()).isEqualTo("10.9.0.128");
        assertThat(n.lease("b".repeat(64)).ip()).isEqualTo("10.9.0.130");
        assertThat(n.lease("c".repeat(64)).ip()).isEqualTo("10.9.0.131");
        assertThatThrownBy(() -> n.lease("d".repeat(64))).hasMessageContaining("no free address left in 10.9.0.128/30");
        assertThat(n.lease("d".repeat(64), "10.9.0.7").ip()).isEqualTo("10.9.0.7");
        assertThatThrownBy(() -> n.lease("e".repeat(64), "10.9.0.7"))
                .isInstanceOf(EngineException.Conflict.class).hasMessage("Address already in use");
        assertThat(n.held()).hasSize(4);
        assertThat(n.hostVeth("d".repeat(64))).isEqualTo("vn1234ddddddddd");
        // Nothing half-done is left by the refused request.
        try (var files = Files.list(tmp.resolve("leases"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("10.9.0.128", "10.9.0.130", "10.9.0.131", "10.9.0.7");
        }
    }
}
