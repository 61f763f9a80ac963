package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The default bridge network (berth0, 172.30.0.0/16): containers get an address, a route through the gateway and
 * their name in /etc/hosts, reach each other and the host over the bridge only, and leave no veth and no lease
 * behind after stop, rm, and a container that died while the daemon was down.
 */
class BridgeNetworkIT {
    static final Path LEASES = Path.of("/run/berth-net/berth0");
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void twoContainers_reachEachOtherByIp_andInspectShowsTheirAddresses() throws Exception {
        var web = daemon.berth("run", "-d", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        assertThat(web.exit()).as(web.toString()).isZero();
        String webId = web.out().strip();
        String ip = daemon.berth("inspect", "-f", "{{.NetworkSettings.IPAddress}}", webId).out().strip();
        assertThat(ip).startsWith("172.30.");
        assertThat(daemon.docker("inspect", "-f",
                "{{.NetworkSettings.Networks.bridge.IPAddress}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.MacAddress}}", webId).out())
                .isEqualTo(ip + " 172.30.0.1 02:42:ac:1e:" + mac(ip) + "\n");

        var client = daemon.docker("run", "--rm", "busybox", "sh", "-c",
                "wget -qO- http://" + ip + "/hostname && ping -c1 -W3 " + ip + " >/dev/null && echo pinged && ip route | grep default");
        assertThat(client.exit()).as(client.toString()).isZero();
        assertThat(client.out()).startsWith(webId.substring(0, 12) + "\npinged\ndefault via 172.30.0.1 dev eth0");

        var hosts = daemon.berth("exec", webId, "cat", "/etc/hosts");
        assertThat(hosts.out()).contains(ip + "\t" + webId.substring(0, 12) + "\n").doesNotContain("127.0.1.1");

        // The host reaches the container over the bridge.
        var curl = Cli.run(List.of("curl", "-s", "--max-time", "5", "http://" + ip + "/hostname"), java.util.Map.of(), null);
        assertThat(curl.out()).isEqualTo(webId.substring(0, 12) + "\n");

        assertThat(daemon.berth("rm", "-f", webId).exit()).isZero();
        assertGone(webId, ip);
    }

    @Test
    void stop_releasesTheAddressAndTheVeth_andStartLeasesAgain() throws Exception {
        String id = daemon.berth("run", "-d", "busybox", "sleep", "300").out().strip();
        String ip = daemon.berth("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).out().strip();
        assertThat(Files.exists(LEASES.resolve(ip))).isTrue();
        assertThat(links()).contains("vb" + id.substring(0, 11));

        assertThat(daemon.berth("stop", "-t", "1", id).exit()).isZero();
        assertGone(id, ip);
        assertThat(daemon.berth("inspect", "-f", "[{{.NetworkSettings.IPAddress}}]", id).out()).isEqualTo("[]\n");

        assertThat(daemon.berth("start", id).exit()).isZero();
        assertThat(daemon.berth("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).out()).startsWith("172.30.");
        assertThat(daemon.berth("rm", "-f", id).exit()).isZero();
        assertGone(id, ip);
    }

    @Test
    void aContainerThatDiedWhileTheDaemonWasDown_leavesNoLeaseAfterRestart() throws Exception {
        String id = daemon.berth("run", "-d", "busybox", "sleep", "300").out().strip();
        String ip = daemon.berth("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).out().strip();
        String pid = daemon.berth("inspect", "-f", "{{.State.Pid}}", id).out().strip();
        daemon.kill9();
        Cli.run(List.of("kill", "-9", pid), java.util.Map.of(), null);
        Thread.sleep(500);
        daemon.start();
        assertGone(id, ip);
        assertThat(daemon.berth("inspect", "-f", "{{.State.Status}}", id).out()).isEqualTo("exited\n");
        assertThat(daemon.berth("rm", id).exit()).isZero();
    }

    @Test
    void networkLsAndInspect_showTheBuiltInNetworks_andTheContainersOnTheBridge() throws Exception {
        var ls = daemon.docker("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}");
        assertThat(ls.out()).isEqualTo("bridge bridge local\nhost host local\nnone null local\n");
        String id = daemon.berth("run", "-d", "--name", "member", "busybox", "sleep", "300").out().strip();
        String ip = daemon.berth("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id).out().strip();
        var inspect = daemon.docker("network", "inspect", "-f",
                "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{range .Containers}}{{.Name}}={{.IPv4Address}}{{end}}", "bridge");
        assertThat(inspect.out()).isEqualTo("172.30.0.0/16 172.30.0.1 member=" + ip + "/16\n");
        String netId = daemon.docker("network", "ls", "-q", "--filter", "name=bridge").out().strip();
        assertThat(daemon.docker("inspect", "-f", "{{.NetworkSettings.Networks.bridge.NetworkID}}", id).out()).startsWith(netId);
        var missing = daemon.docker("network", "inspect", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("network nope not found");
        assertThat(daemon.berth("rm", "-f", id).exit()).isZero();
    }

    @Test
    void networkNone_hasOnlyLoopback() throws Exception {
        var r = daemon.berth("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net");
        assertThat(r.out()).isEqualTo("lo\n");
    }

    private static void assertGone(String id, String ip) throws Exception {
        assertThat(links()).doesNotContain("vb" + id.substring(0, 11));
        if (Files.exists(LEASES.resolve(ip))) {
            assertThat(Files.readString(LEASES.resolve(ip))).doesNotContain(id);
        }
    }

    private static String links() throws Exception {
        return Cli.run(List.of("ip", "-br", "link"), java.util.Map.of(), null).out();
    }

    private static String mac(String ip) {
        String[] p = ip.split("\\.");
        return String.format("%02x:%02x", Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }

    @Test
    void dnsSettingsAndExtraHosts_fillResolvConfAndHosts_asDockerDoes() throws Exception {
        var run = daemon.docker("run", "--name", "named", "--dns", "192.0.2.53", "--dns-search", "example.test",
                "--dns-option", "ndots:2", "--add-host", "db.local:10.1.2.3", "--add-host", "gw:host-gateway",
                "busybox", "sh", "-c", "cat /etc/resolv.conf /etc/hosts");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("nameserver")).toList()).containsExactly("nameserver 192.0.2.53");
        assertThat(run.out()).contains("search example.test\n").contains("options ndots:2\n")
                .contains("10.1.2.3\tdb.local\n").contains("172.30.0.1\tgw\n");
        assertThat(daemon.docker("inspect", "-f", "{{.HostConfig.Dns}} {{.HostConfig.DnsSearch}} {{.HostConfig.ExtraHosts}}", "named").out())
                .isEqualTo("[192.0.2.53] [example.test] [db.local:10.1.2.3 gw:host-gateway]\n");
        assertThat(daemon.docker("rm", "named").exit()).isZero();

        String bad = daemon.request("POST", "/containers/create",
                "{\"Image\": \"busybox\", \"HostConfig\": {\"ExtraHosts\": [\"db:not-an-ip\"]}}");
        assertThat(bad).startsWith("HTTP/1.1 400").contains("invalid IP address in add-host: \\\"not-an-ip\\\"");
        String badDns = daemon.request("POST", "/containers/create", "{\"Image\": \"busybox\", \"HostConfig\": {\"Dns\": [\"dns.example\"]}}");
        assertThat(badDns).startsWith("HTTP/1.1 400").contains("dns.example is not an ip address");
        assertThat(daemon.docker("ps", "-aq", "--filter", "name=named").out()).isEmpty();
    }
}
