package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The default bridge network as an operator configures it: its Linux bridge's name ({@code --bridge}, or none),
 * its address ({@code --bip}), and the address pools networks created without a subnet take theirs from. Each
 * daemon here has a bridge of its own name, which the test removes with its rules afterwards.
 */
class DefaultBridgeConfigIT {
    private static final String BRIDGE = "berthit7";
    private static final String FALLBACK = "berthit8";

    @AfterAll
    static void removeTheBridgesTheTestsCaused() throws Exception {
        removeBridge(BRIDGE, "10.213.7.0/24");
        removeBridge(BRIDGE, "10.213.9.0/24");
        removeFallback();
    }

    private static void removeFallback() throws Exception {
        String route = sh("ip -4 route show dev " + FALLBACK + " proto kernel 2>/dev/null").strip();
        removeBridge(FALLBACK, route.isEmpty() ? null : route.split("\\s+")[0]);
    }

    /**
     * The bridge, its leases and the rules berthd adds for a default bridge (all copies), by their exact names; the
     * NAT rule only when the bridge's {@code subnet} is known.
     */
    private static void removeBridge(String bridge, String subnet) throws Exception {
        sh("ip link del dev " + bridge + " 2>/dev/null; rm -rf /run/berth-net/" + bridge);
        if (subnet != null) sh("while iptables -w -t nat -D POSTROUTING -s " + subnet + " ! -o " + bridge + " -j MASQUERADE 2>/dev/null; do :; done");
        for (String rule : List.of(
                "-t filter -D FORWARD -i " + bridge + " -j ACCEPT", "-t filter -D FORWARD -o " + bridge + " -j ACCEPT",
                "-t filter -D BERTH-ISOLATION-1 -i " + bridge + " ! -o " + bridge + " -j BERTH-ISOLATION-2",
                "-t filter -D BERTH-ISOLATION-2 -o " + bridge + " -j DROP")) {
            sh("while iptables -w " + rule + " 2>/dev/null; do :; done");
        }
    }

    private static String sh(String script) throws Exception {
        return Cli.run(List.of("sh", "-c", script), Map.of(), null).out();
    }

    @Test
    void bridgeAndBip_nameTheBridge_andGiveContainersAddressesAndTheRouteOnIt() throws Exception {
        try (var d = new TestDaemon().withFlags("--bridge", BRIDGE, "--bip", "10.213.7.1/24")) {
            d.start();
            d.loadBusybox();
            assertThat(sh("ip -4 -o addr show dev " + BRIDGE)).contains("inet 10.213.7.1/24");

            var run = d.docker("run", "-d", "--name", "on7", "busybox", "sleep", "300");
            assertThat(run.exit()).as(run.toString()).isZero();
            var seen = d.docker("exec", "on7", "sh", "-c", "ip -4 -o addr show dev eth0; ip route");
            assertThat(seen.out()).containsPattern("inet 10\\.213\\.7\\.\\d+/24").contains("default via 10.213.7.1 dev eth0");
            String ip = d.docker("inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}} {{.NetworkSettings.Gateway}}", "on7").out();
            assertThat(ip).matches("10\\.213\\.7\\.\\d+ 10\\.213\\.7\\.1\n");
            assertThat(Files.exists(Path.of("/run/berth-net", BRIDGE, ip.split(" ")[0]))).isTrue();

            var inspect = d.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} "
                    + "{{index .Options \"com.docker.network.bridge.name\"}} {{range .Containers}}{{.Name}}={{.IPv4Address}}{{end}}", "bridge");
            assertThat(inspect.out()).isEqualTo("10.213.7.0/24 10.213.7.1 " + BRIDGE + " on7=" + ip.split(" ")[0] + "/24\n");
            assertThat(d.docker("rm", "-f", "on7").exit()).isZero();
        }
    }

    @Test
    void aChangedBip_replacesTheBridgesAddressAndItsOutboundNatRule() throws Exception {
        try (var before = new TestDaemon().withFlags("--bridge", BRIDGE, "--bip", "10.213.7.1/24")) {
            before.start();
        }
        try (var after = new TestDaemon().withFlags("--bridge", BRIDGE, "--bip", "10.213.9.1/24")) {
            after.start();
            assertThat(sh("ip -4 -o addr show dev " + BRIDGE)).contains("inet 10.213.9.1/24").doesNotContain("10.213.7.");
            String nat = sh("iptables -w -t nat -S POSTROUTING");
            assertThat(nat).contains("-A POSTROUTING -s 10.213.9.0/24 ! -o " + BRIDGE + " -j MASQUERADE")
                    .doesNotContain("10.213.7.0/24");
        }
    }

    @Test
    void defaultAddressPools_giveNetworksWithoutASubnetTheirs_inOrder_andInfoShowsThem() throws Exception {
        try (var d = new TestDaemon().withConfig("""
                {"default-address-pools": [{"base": "10.214.0.0/16", "size": 24}]}""")) {
            d.start();
            assertThat(d.docker("network", "create", "pool-a").exit()).isZero();
            assertThat(d.docker("network", "create", "pool-b").exit()).isZero();
            var subnets = d.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", "pool-a", "pool-b");
            assertThat(subnets.out()).isEqualTo("10.214.0.0/24 10.214.0.1\n10.214.1.0/24 10.214.1.1\n");
            assertThat(d.docker("info", "--format", "{{json .DefaultAddressPools}}").out())
                    .isEqualTo("[{\"Base\":\"10.214.0.0/16\",\"Size\":24}]\n");
            assertThat(d.docker("network", "rm", "pool-a", "pool-b").exit()).isZero();
        }
    }

    @Test
    void aBridgeWhose172_30IsTakenOnTheHost_takesTheFirstFreeSubnetOfThePools() throws Exception {
        try (var plain = TestDaemon.started(); // berth0 holds 172.30.0.0/16 (or whatever it already had)
             var d = new TestDaemon().withFlags("--bridge", FALLBACK, "--default-address-pool", "base=10.214.128.0/17,size=24")) {
            boolean taken = sh("ip -4 -o addr show dev berth0").contains(" 172.30.");
            d.start();
            String subnet = d.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", "bridge").out();
            if (taken) {
                assertThat(subnet).matches("10\\.214\\.1\\d\\d\\.0/24 10\\.214\\.1\\d\\d\\.1\n");
            } else {
                assertThat(subnet).isEqualTo("172.30.0.0/16 172.30.0.1\n");
            }
            assertThat(sh("ip -4 -o addr show dev " + FALLBACK)).contains("inet " + subnet.split(" ")[1].strip() + "/");
            // the networks keep off it
            assertThat(d.docker("network", "create", "after").exit()).isZero();
            String own = d.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "after").out().strip();
            assertThat(own).isNotEqualTo(subnet.split(" ")[0]);
            assertThat(d.docker("network", "rm", "after").exit()).isZero();
        } finally {
            removeFallback(); // no bridge of ours outlives the test
        }
    }

    @Test
    void bridgeNone_meansNoBridgeNetwork_andARunOnItFailsClearly() throws Exception {
        try (var d = new TestDaemon().withConfig("{\"bridge\": \"none\"}")) {
            d.start();
            d.loadBusybox();
            assertThat(d.docker("network", "ls", "--format", "{{.Name}}").out()).isEqualTo("host\nnone\n");
            var inspect = d.docker("network", "inspect", "bridge");
            assertThat(inspect.exit()).isNotZero();
            assertThat(inspect.err()).contains("network bridge not found");

            var run = d.docker("run", "--name", "nobridge", "busybox", "true");
            assertThat(run.exit()).as(run.toString()).isEqualTo(125);
            assertThat(run.err()).contains("failed to set up container networking: network bridge not found");
            assertThat(d.docker("inspect", "-f", "{{.State.Status}}", "nobridge").out()).isEqualTo("created\n");
            var explicit = d.docker("run", "--rm", "--network", "bridge", "busybox", "true");
            assertThat(explicit.err()).contains("network bridge not found");

            var none = d.docker("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net");
            assertThat(none.out()).isEqualTo("lo\n");
        }
    }

    @Test
    void aBadBipOrBridgeName_refusesToStart_namingTheKey() throws Exception {
        var bip = new TestDaemon().withFlags("--bip", "10.213.7.0/24");
        assertThatThrownBy(bip::start).hasMessageContaining("berthd: invalid value for \"bip\": 10.213.7.0/24 is not a host address");
        bip.close();
        var name = new TestDaemon().withConfig("{\"bridge\": \"berth-bridge-too-long\"}");
        assertThatThrownBy(name::start).hasMessageContaining("invalid value for \"bridge\": invalid bridge name berth-bridge-too-long");
        name.close();
        // an interface that is not a bridge is left alone
        var lo = new TestDaemon().withFlags("-b", "lo");
        assertThatThrownBy(lo::start).hasMessageContaining("berthd: the default bridge lo is an existing interface that is not a bridge");
        lo.close();
        assertThat(sh("ip -4 -o addr show dev lo")).doesNotContain("172.30.");
    }
}
