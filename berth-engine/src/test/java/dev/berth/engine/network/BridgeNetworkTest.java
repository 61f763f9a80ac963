package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default bridge's address leases: one address per container, shared between daemons, released safely. */
class BridgeNetworkTest {
    @TempDir Path tmp;

    private BridgeNetwork net(String cidr, String dataRoot) throws Exception {
        Path root = tmp.resolve(dataRoot);
        Files.createDirectories(root);
        return new BridgeNetwork("bt0", cidr, tmp.resolve("leases"), root);
    }

    @Test
    void leases_areDistinct_stable_andDockerLikeMacs() throws Exception {
        var n = net("172.30.0.0/16", "a");
        var l1 = n.lease("a".repeat(64));
        var l2 = n.lease("b".repeat(64));
        assertThat(l1.ip()).isEqualTo("172.30.0.2");
        assertThat(l2.ip()).isEqualTo("172.30.0.3");
        assertThat(l1.gateway()).isEqualTo("172.30.0.1");
        assertThat(l1.prefix()).isEqualTo(16);
        assertThat(l1.mac()).isEqualTo("02:42:ac:1e:00:02");
        assertThat(n.lease("a".repeat(64))).isEqualTo(l1);
        assertThat(n.leaseOf("b".repeat(64))).contains(l2);
        assertThat(n.subnet()).isEqualTo("172.30.0.0/16");
        assertThat(Files.list(tmp.resolve("leases")).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("172.30.0.2", "172.30.0.3");
    }

    @Test
    void release_freesTheAddress_forTheNextContainer() throws Exception {
        var n = net("10.9.0.0/24", "a");
        n.lease("a".repeat(64));
        n.release("a".repeat(64));
        assertThat(n.leaseOf("a".repeat(64))).isEmpty();
        assertThat(n.lease("c".repeat(64)).ip()).isEqualTo("10.9.0.2");
    }

    @Test
    void daemonsSharingTheBridge_shareLeases_andReconcileOnlyTheirOwn() throws Exception {
        var a = net("10.9.0.0/24", "a");
        var b = net("10.9.0.0/24", "b");
        a.lease("a".repeat(64));
        assertThat(b.lease("b".repeat(64)).ip()).isEqualTo("10.9.0.3");
        a.reconcile(Set.of()); // a's container is gone; b's lease is not a's to release
        assertThat(a.leaseOf("a".repeat(64))).isEmpty();
        assertThat(b.leaseOf("b".repeat(64))).isPresent();
        b.reconcile(Set.of("b".repeat(64)));
        assertThat(b.leaseOf("b".repeat(64))).isPresent();
        // A daemon whose data root is gone leaves leases that anyone may release.
        Files.delete(tmp.resolve("b"));
        a.reconcile(Set.of());
        assertThat(Files.exists(tmp.resolve("leases").resolve("10.9.0.3"))).isFalse();
    }

    @Test
    void aFullSubnet_saysSo() throws Exception {
        var n = net("10.9.0.0/30", "a"); // .1 gateway, .2 the only address
        n.lease("a".repeat(64));
        assertThatThrownBy(() -> n.lease("b".repeat(64))).hasMessageContaining("no free address left in 10.9.0.0/30");
        assertThat(Files.list(tmp.resolve("leases")).count()).isEqualTo(1); // no temporary left
    }

    @Test
    void badSubnets_areRefused() {
        assertThatThrownBy(() -> net("10.9.0.0/31", "a")).hasMessageContaining("prefix out of range");
        assertThatThrownBy(() -> net("nonsense/16", "a")).isInstanceOf(IllegalArgumentException.class);
    }
}
