package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * User-defined bridge networks through berth and the Docker CLI: create/ls/inspect/rm/prune, containers that
 * resolve each other by name, alias and short id through the embedded name server, isolation between networks,
 * internal networks, connect and disconnect, bad input that leaves no bridge, veth, rule or lease, and a kill -9 of
 * the daemon after which networks, bridges and rules are back. Subnets are 10.213.x.0/24, on the tests' own bridges.
 */
class UserNetworksIT {
    @RegisterExtension
    static final TestDaemon daemon = TestDaemon.perClass(true);

    @Test
    void containersResolveEachOther_byNameAliasAndShortId_andInspectShowsTheEndpoints() throws Exception {
        var created = daemon.docker("network", "create", "--subnet", "10.213.10.0/24", "--label", "team=a", "names");
        assertThat(created.exit()).as(created.toString()).isZero();
        String netId = created.out().strip();
        var web = daemon.berth("run", "-d", "--name", "web", "--network", "names", "--network-alias", "www",
                "--network-alias", "shared", "-p", "127.0.0.1::80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        assertThat(web.exit()).as(web.toString()).isZero();
        String webId = web.out().strip();
        var other = daemon.docker("run", "-d", "--name", "other", "--network", "names", "--ip", "10.213.10.77",
                "--network-alias", "shared", "busybox", "sleep", "300");
        assertThat(other.exit()).as(other.toString()).isZero();
        String webIp = daemon.docker("inspect", "-f", "{{.NetworkSettings.Networks.names.IPAddress}}", "web").out().strip();
        assertThat(webIp).startsWith("10.213.10.");

        var client = daemon.docker("run", "--rm", "--network", "names", "busybox", "sh", "-c",
                "head -1 /etc/resolv.conf; wget -qO- http://web/hostname; wget -qO- http://www/hostname; "
                        + "wget -qO- http://" + webId.substring(0, 12) + "/hostname; ping -c1 -W3 other >/dev/null && echo pinged; "
                        + "nslookup shared | grep -c 'Address: 10.213.10.'");
        assertThat(client.exit()).as(client.toString()).isZero();
        String hostname = webId.substring(0, 12) + "\n";
        assertThat(client.out()).isEqualTo("nameserver 10.213.10.1\n" + hostname.repeat(3) + "pinged\n2\n");
        // A published port reaches the container on its user-defined network.
        String hostPort = daemon.docker("port", "web", "80").out().strip();
        assertThat(hostPort).startsWith("127.0.0.1:");
        var curl = Cli.run(List.of("curl", "-s", "--max-time", "5", "http://" + hostPort + "/hostname"), Map.of(), null);
        assertThat(curl.out()).isEqualTo(hostname);

        assertThat(daemon.docker("inspect", "-f", "{{with .NetworkSettings.Networks.names}}{{.IPAddress}} {{.Gateway}} "
                + "{{.Aliases}} {{.NetworkID}} {{len .EndpointID}} {{.MacAddress}} {{.IPAMConfig.IPv4Address}}{{end}}", "other").out())
                .isEqualTo("10.213.10.77 10.213.10.1 [shared] " + netId + " 64 02:42:0a:d5:0a:4d 10.213.10.77\n");
        assertThat(daemon.berth("network", "inspect", "-f",
                "{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Labels}} {{len .Containers}}", "names").out())
                .isEqualTo("names 10.213.10.0/24 10.213.10.1 map[team:a] 2\n");
        var members = daemon.docker("network", "inspect", "-f",
                "{{range .Containers}}{{.Name}}={{.IPv4Address}} {{end}}", "names").out();
        assertThat(members).contains("other=10.213.10.77/24").contains("web=" + webIp + "/24");

        assertThat(daemon.docker("network", "ls", "--filter", "label=team=a", "--format", "{{.Name}} {{.Driver}}").out())
                .isEqualTo("names bridge\n");
        assertThat(daemon.docker("network", "ls", "--filter", "type=custom", "-q").out()).contains(netId.substring(0, 12));
        assertThat(daemon.docker("network", "ls", "--filter", "type=builtin", "--format", "{{.Name}}").out())
                .isEqualTo("bridge\nhost\nnone\n");

        var inUse = daemon.docker("network", "rm", "names");
        assertThat(inUse.exit()).isNotZero();
        assertThat(inUse.err()).contains("error while removing network: network names has active endpoints");
        assertThat(daemon.berth("rm", "-f", "web", "other").exit()).isZero();
        assertThat(daemon.docker("network", "rm", "names").exit()).isZero();
        assertNoTrace("br-" + netId.substring(0, 12), "10.213.10.0/24");
    }

    @Test
    void dns_isTheUpstreamOfTheEmbeddedNameServer_forTheContainerThatGaveIt_andItAnswersOverTcp() throws Exception {
        assertThat(daemon.docker("network", "create", "--subnet", "10.213.16.0/24", "upstream").exit()).isZero();
        try (var upstream = new StandInNameServer("127.0.0.77", "10.66.0.7")) {
            var ask = daemon.docker("run", "--rm", "--network", "upstream", "--dns", "127.0.0.77", "busybox", "sh", "-c",
                    "head -1 /etc/resolv.conf; nslookup only-upstream.test | grep -c 'Address: 10.66.0.7'");
            // The container keeps the embedded server (its names still resolve); what it does not know goes to --dns.
            assertThat(ask.out()).as(ask.toString()).isEqualTo("nameserver 10.213.16.1\n1\n");
            assertThat(upstream.queries()).isPositive();
        }

        // Over TCP too, where a resolver goes after a truncated answer: a query for "tcp-named" (type A), with its
        // two-byte length, in printf's octal escapes; the reply's last four bytes are the container's address.
        var named = daemon.docker("run", "-d", "--name", "tcp-named", "--network", "upstream", "--ip", "10.213.16.9",
                "busybox", "sleep", "300");
        assertThat(named.exit()).as(named.toString()).isZero();
        String query = "\\000\\033\\022\\064\\001\\000\\000\\001\\000\\000\\000\\000\\000\\000"
                + "\\011tcp-named\\000\\000\\001\\000\\001";
        var tcp = daemon.docker("run", "--rm", "--network", "upstream", "busybox", "sh", "-c",
                "printf '" + query + "' | nc -w 3 10.213.16.1 53 | od -An -tu1 | tr -s ' \\n' ' '");
        assertThat(tcp.out()).as(tcp.toString()).endsWith(" 10 213 16 9 ");
        assertThat(daemon.docker("rm", "-f", "tcp-named").exit()).isZero();
        assertThat(daemon.docker("network", "rm", "upstream").exit()).isZero();
    }

    @Test
    void networksAreIsolated_internalHasNoWayOut_andConnectJoinsThem() throws Exception {
        assertThat(daemon.berth("network", "create", "--subnet", "10.213.11.0/24", "left").exit()).isZero();
        assertThat(daemon.berth("network", "create", "--subnet", "10.213.12.0/24", "right").exit()).isZero();
        assertThat(daemon.berth("network", "create", "--internal", "--subnet", "10.213.13.0/24", "inner").exit()).isZero();
        assertThat(daemon.berth("run", "-d", "--name", "iso-l", "--network", "left", "--ip", "10.213.11.10",
                "busybox", "httpd", "-f", "-p", "80", "-h", "/etc").exit()).isZero();
        assertThat(daemon.berth("run", "-d", "--name", "iso-i", "--network", "inner", "--ip", "10.213.13.10",
                "busybox", "httpd", "-f", "-p", "80", "-h", "/etc").exit()).isZero();

        var fromRight = daemon.berth("run", "--rm", "--network", "right", "busybox", "sh", "-c",
                "ping -c1 -W2 10.213.11.10 >/dev/null && echo reached || echo isolated");
        assertThat(fromRight.out()).isEqualTo("isolated\n");
        var fromInner = daemon.berth("run", "--rm", "--network", "inner", "busybox", "sh", "-c",
                "ip route; ping -c1 -W2 10.213.11.10 >/dev/null 2>&1 && echo reached || echo isolated; wget -qO- http://iso-i/hostname >/dev/null && echo local");
        assertThat(fromInner.out()).as(fromInner.toString()).isEqualTo("10.213.13.0/24 dev eth0 scope link  src 10.213.13.2 \nisolated\nlocal\n");
        var intoInner = daemon.berth("run", "--rm", "--network", "left", "busybox", "sh", "-c",
                "ping -c1 -W2 10.213.13.10 >/dev/null && echo reached || echo isolated");
        assertThat(intoInner.out()).isEqualTo("isolated\n");

        // A container on right that is connected to left too reaches iso-l over left, by name.
        assertThat(daemon.docker("run", "-d", "--name", "iso-r", "--network", "right", "busybox", "sleep", "300").exit()).isZero();
        var connect = daemon.docker("network", "connect", "--alias", "bridged", "--ip", "10.213.11.20", "left", "iso-r");
        assertThat(connect.exit()).as(connect.toString()).isZero();
        var both = daemon.docker("exec", "iso-r", "sh", "-c", "ip -o -4 addr show | awk '{print $2, $4}' | grep eth; wget -qO- http://iso-l/hostname >/dev/null && echo reached");
        assertThat(both.out()).as(both.toString()).contains("eth1 10.213.11.20/24").contains("reached");
        assertThat(daemon.berth("run", "--rm", "--network", "left", "busybox", "nslookup", "bridged").out()).contains("Address: 10.213.11.20");
        assertThat(daemon.docker("network", "disconnect", "left", "iso-r").exit()).isZero();
        assertThat(daemon.docker("exec", "iso-r", "ls", "/sys/class/net").out()).isEqualTo("eth0\nlo\n");
        assertThat(links()).doesNotContain("vn" + netId("left").substring(0, 4) + containerId("iso-r").substring(0, 9));

        // A stopped container is connected on its next start; events tell of each step.
        assertThat(daemon.berth("create", "--name", "iso-s", "--network", "right", "busybox", "sleep", "300").exit()).isZero();
        assertThat(daemon.berth("network", "connect", "left", "iso-s").exit()).isZero();
        assertThat(daemon.docker("inspect", "-f", "{{len .NetworkSettings.Networks}} [{{.NetworkSettings.Networks.left.IPAddress}}]", "iso-s").out())
                .isEqualTo("2 []\n");
        assertThat(daemon.berth("start", "iso-s").exit()).isZero();
        assertThat(daemon.berth("exec", "iso-s", "ls", "/sys/class/net").out()).isEqualTo("eth0\neth1\nlo\n");
        var events = daemon.docker("events", "--since", "2m", "--until", "0s", "--filter", "type=network", "--filter", "network=left",
                "--format", "{{.Action}}");
        assertThat(events.out()).startsWith("create\n").contains("connect\ndisconnect\n");

        assertThat(daemon.berth("rm", "-f", "iso-l", "iso-i", "iso-r", "iso-s").exit()).isZero();
        var pruned = daemon.docker("network", "prune", "-f");
        assertThat(pruned.out()).contains("left").contains("right").contains("inner");
        assertThat(daemon.docker("network", "ls", "--filter", "type=custom", "-q").out()).isEmpty();
        assertThat(iptables()).doesNotContain("10.213.11.").doesNotContain("10.213.13.");
    }

    @Test
    void badInput_isRefusedAsDockerd_andLeavesNoBridgeVethRuleOrLease() throws Exception {
        int records = networkRecords();
        assertThat(daemon.berth("network", "create", "--subnet", "10.213.20.0/24", "bad1").exit()).isZero();
        String bridge = "br-" + netId("bad1").substring(0, 12);

        var dup = daemon.docker("network", "create", "bad1");
        assertThat(dup.exit()).isNotZero();
        assertThat(dup.err()).contains("network with name bad1 already exists");
        var overlap = daemon.docker("network", "create", "--subnet", "10.213.20.128/25", "bad2");
        assertThat(overlap.err()).contains("Pool overlaps with other one on this address space");
        var gateway = daemon.request("POST", "/networks/create",
                "{\"Name\":\"bad3\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.213.21.0/24\",\"Gateway\":\"10.213.22.1\"}]}}");
        assertThat(gateway).startsWith("HTTP/1.1 400").contains("does not contain gateway 10.213.22.1");
        var builtIn = daemon.request("DELETE", "/networks/bridge", null);
        assertThat(builtIn).startsWith("HTTP/1.1 403").contains("bridge is a pre-defined network and cannot be removed");
        var driver = daemon.docker("network", "create", "-d", "overlay", "bad4");
        assertThat(driver.err()).contains("plugin \"overlay\" not found");
        // A bridge name that an interface of the host has: refused before anything is made.
        var clash = daemon.docker("network", "create", "--subnet", "10.213.23.0/24", "-o", "com.docker.network.bridge.name=lo", "bad5");
        assertThat(clash.exit()).isNotZero();
        assertThat(clash.err()).contains("bridge name lo is already in use");
        assertThat(daemon.docker("network", "ls", "--format", "{{.Name}}").out()).doesNotContain("bad2", "bad3", "bad4", "bad5");
        assertThat(iptables()).doesNotContain("10.213.23.0/24").doesNotContain("10.213.21.0/24");
        assertThat(networkRecords()).isEqualTo(records + 1);

        // Aliases and addresses belong to user-defined networks only; nothing is created.
        int containers = daemon.berth("ps", "-aq").out().lines().toList().size();
        var alias = daemon.berth("run", "--network-alias", "x", "busybox", "true");
        assertThat(alias.err()).contains("network-scoped alias is supported only for containers in user defined networks");
        var aliasRequest = daemon.request("POST", "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"bridge\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"bridge\":{\"Aliases\":[\"x\"]}}}}");
        assertThat(aliasRequest).startsWith("HTTP/1.1 400");
        var ipOnBridge = daemon.berth("run", "--ip", "172.30.9.9", "busybox", "true");
        assertThat(ipOnBridge.err()).contains("user specified IP address is supported on user defined networks only");
        assertThat(daemon.berth("ps", "-aq").out().lines().toList()).hasSize(containers);

        // An address outside the subnet, an address in use: refused, no veth and no lease left.
        var outside = daemon.docker("run", "-d", "--network", "bad1", "--ip", "10.213.99.5", "busybox", "true");
        assertThat(outside.exit()).isNotZero();
        assertThat(outside.err()).contains("no configured subnet or ip-range contain the IP address 10.213.99.5");
        assertThat(daemon.berth("run", "-d", "--name", "holder", "--network", "bad1", "--ip", "10.213.20.9", "busybox", "sleep", "300").exit()).isZero();
        assertThat(daemon.berth("run", "-d", "--name", "taker", "busybox", "sleep", "300").exit()).isZero();
        String rulesBefore = rulesOf(bridge);
        var taken = daemon.docker("network", "connect", "--ip", "10.213.20.9", "bad1", "taker");
        assertThat(taken.exit()).isNotZero();
        assertThat(taken.err()).contains("Address already in use");
        assertThat(links()).doesNotContain("vn" + netId("bad1").substring(0, 4) + containerId("taker").substring(0, 9));
        assertThat(rulesOf(bridge)).isEqualTo(rulesBefore).contains("-o " + bridge + " -j ACCEPT");
        assertThat(daemon.docker("network", "inspect", "-f", "{{len .Containers}}", "bad1").out()).isEqualTo("1\n");
        var startTaken = daemon.berth("run", "-d", "--name", "taker2", "--network", "bad1", "--ip", "10.213.20.9", "busybox", "sleep", "300");
        assertThat(startTaken.exit()).isNotZero();
        assertThat(startTaken.err()).contains("Address already in use");
        assertThat(links()).doesNotContain("vn" + netId("bad1").substring(0, 4) + containerId("taker2").substring(0, 9));
        var leases = leaseFiles("bad1");
        assertThat(leases).containsExactly("10.213.20.9");

        assertThat(daemon.berth("rm", "-f", "holder", "taker", "taker2").exit()).isZero();
        assertThat(daemon.berth("network", "rm", "bad1").exit()).isZero();
        assertNoTrace(bridge, "10.213.20.0/24");
    }

    @Test
    void afterKill9_networksBridgesRulesAndNamesAreBack_andAnInterruptedCreateIsUndone() throws Exception {
        assertThat(daemon.berth("network", "create", "--subnet", "10.213.30.0/24", "crash").exit()).isZero();
        String id = netId("crash");
        String bridge = "br-" + id.substring(0, 12);
        assertThat(daemon.berth("run", "-d", "--name", "survivor", "--network", "crash", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc").exit()).isZero();
        assertThat(daemon.berth("network", "create", "--subnet", "10.213.31.0/24", "idle").exit()).isZero();
        String idle = "br-" + netId("idle").substring(0, 12);

        daemon.kill9();
        // While the daemon is down: the idle network's bridge and its NAT rule vanish, and a create is cut short.
        sh("ip link del dev " + idle + "; iptables -w -t nat -D BERTH-POSTROUTING -s 10.213.31.0/24 ! -o " + idle + " -j MASQUERADE");
        String pendingId = "f".repeat(64);
        Path pending = daemon.dataRoot().resolve("networks").resolve(pendingId);
        Files.createDirectories(pending);
        Files.writeString(pending.resolve("pending.json"), "{\"id\":\"" + pendingId + "\",\"name\":\"half\",\"driver\":\"bridge\","
                + "\"created\":\"2026-01-01T00:00:00Z\",\"subnet\":\"10.213.32.0/24\",\"gateway\":\"10.213.32.1\",\"internal\":false,"
                + "\"bridge\":\"br-ffffffffffff\"}");
        sh("ip link add name br-ffffffffffff type bridge; iptables -w -t nat -A BERTH-POSTROUTING -s 10.213.32.0/24 ! -o br-ffffffffffff -j MASQUERADE");
        daemon.start();

        assertThat(links()).contains(idle).contains(bridge).doesNotContain("br-ffffffffffff");
        assertThat(iptables()).contains("-s 10.213.31.0/24 ! -o " + idle + " -j MASQUERADE").doesNotContain("10.213.32.0/24");
        assertThat(Files.exists(pending)).isFalse();
        assertThat(daemon.docker("network", "ls", "--format", "{{.Name}}").out()).contains("crash").contains("idle").doesNotContain("half");
        var client = daemon.docker("run", "--rm", "--network", "crash", "busybox", "wget", "-qO-", "http://survivor/hostname");
        assertThat(client.out()).as(client.toString()).isEqualTo(containerId("survivor").substring(0, 12) + "\n");

        assertThat(daemon.berth("rm", "-f", "survivor").exit()).isZero();
        assertThat(daemon.berth("network", "rm", "crash", "idle").exit()).isZero();
        assertNoTrace(bridge, "10.213.30.0/24");
        assertNoTrace(idle, "10.213.31.0/24");
    }

    @Test
    void networkContainer_sharesTheOtherContainersNamespaceFilesAndNames() throws Exception {
        var target = daemon.berth("run", "-d", "--name", "ns-a", "busybox", "httpd", "-f", "-p", "8080", "-h", "/etc");
        assertThat(target.exit()).as(target.toString()).isZero();
        String shortId = target.out().strip().substring(0, 12);
        String ip = daemon.berth("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "ns-a").out().strip();
        var joined = daemon.docker("run", "--rm", "--network", "container:ns-a", "busybox", "sh", "-c",
                "hostname; wget -qO- http://127.0.0.1:8080/hostname; ip -o -4 addr show eth0 | awk '{print $4}'; grep -c " + ip + " /etc/hosts");
        assertThat(joined.out()).as(joined.toString()).isEqualTo(shortId + "\n" + shortId + "\n" + ip + "/16\n1\n");
        var byBerth = daemon.berth("run", "--rm", "--network", "container:" + shortId, "busybox", "cat", "/sys/class/net/eth0/address");
        assertThat(byBerth.out()).isEqualTo(daemon.berth("inspect", "-f", "{{.NetworkSettings.MacAddress}}", "ns-a").out());

        assertThat(daemon.berth("create", "--name", "ns-idle", "busybox", "true").exit()).isZero();
        var notRunning = daemon.docker("run", "--rm", "--network", "container:ns-idle", "busybox", "true");
        assertThat(notRunning.exit()).isNotZero();
        assertThat(notRunning.err()).contains("cannot join network namespace of a non running container: container ns-idle is created");
        assertThat(daemon.berth("rm", "-f", "ns-a", "ns-idle").exit()).isZero();
    }

    private static String netId(String name) throws Exception {
        return daemon.docker("network", "inspect", "-f", "{{.Id}}", name).out().strip();
    }

    private static String containerId(String name) throws Exception {
        return daemon.berth("inspect", "-f", "{{.Id}}", name).out().strip();
    }

    private static int networkRecords() throws Exception {
        try (var dirs = Files.list(daemon.dataRoot().resolve("networks"))) {
            return dirs.toList().size();
        }
    }

    private static List<String> leaseFiles(String network) throws Exception {
        Path dir = Path.of("/run/berth-net/net-" + netId(network).substring(0, 12));
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static void assertNoTrace(String bridge, String subnet) throws Exception {
        assertThat(links()).doesNotContain(bridge);
        assertThat(iptables()).doesNotContain(bridge).doesNotContain(subnet);
    }

    private static String links() throws Exception {
        return Cli.run(List.of("ip", "-br", "link"), Map.of(), null).out();
    }

    private static String iptables() throws Exception {
        return Cli.run(List.of("sh", "-c", "iptables -w -S; iptables -w -t nat -S"), Map.of(), null).out();
    }

    private static String rulesOf(String bridge) throws Exception {
        return iptables().lines().filter(l -> l.contains(bridge)).sorted().toList().toString();
    }

    private static void sh(String script) throws Exception {
        Cli.run(List.of("sh", "-c", script), Map.of(), null);
    }
}
