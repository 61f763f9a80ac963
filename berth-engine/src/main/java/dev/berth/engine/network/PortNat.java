package dev.berth.engine.network;

import static dev.berth.engine.network.HostCommands.must;
import static dev.berth.engine.network.HostCommands.output;
import static dev.berth.engine.network.HostCommands.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iptables rules that publish container ports, as dockerd's DOCKER chains do: traffic for a local address and a
 * published host port is DNATed to the container, so that outside clients reach it with their own address, also while
 * no daemon runs. In berth's own chains, jumped to from the built-in ones, so they coexist with Docker's:
 * <ul>
 *   <li>nat {@value #DNAT} (from PREROUTING and OUTPUT for local destinations): the DNAT per binding;</li>
 *   <li>nat {@value #MASQ} (from POSTROUTING), without the userland proxy: MASQUERADE of hairpin traffic (a client on
 *       the container's own network going through the host's address, whose reply must come back through the host)
 *       and of loopback clients;</li>
 *   <li>filter {@value #ACCEPT} (first in FORWARD): accepts DNATed traffic to the container, also from another
 *       network, which the isolation rules would drop otherwise.</li>
 * </ul>
 * With the userland proxy on (dockerd's default) loopback clients and those on the container's own bridge are left to
 * the proxy, as in dockerd; without it, they are DNATed too (see {@link #hairpin}).
 *
 * <p>Every rule carries the comment {@code berth:<owner>:<container id>}: one daemon's rules are told from another's
 * sharing the chains, a container's rules are replaced or removed as a whole, and a daemon started after a crash
 * removes those of containers that no longer run ({@link #retainOnly}). Changes go through {@code iptables-restore
 * --noflush}: one process per change, each table committed at once.
 */
public final class PortNat {
    private static final Logger log = LoggerFactory.getLogger(PortNat.class);
    static final String DNAT = "BERTH-PORTS";
    static final String MASQ = "BERTH-PORTS-MASQ";
    static final String ACCEPT = "BERTH-PORTS";
    private static final Pattern TAG = Pattern.compile("berth:([0-9a-f]+):([0-9a-f]{64})");

    /** Where a published port leads: the container's address, and its bridge and subnet on the network it is reached by. */
    public record Target(String ip, String bridge, String subnet) {
        public static Target of(BridgeNetwork.Lease l) {
            return new Target(l.ip(), l.bridge(), new Subnet(BridgeNetwork.toInt(l.ip()), l.prefix()).toString());
        }
    }

    /** A host address and port served for a container port. */
    public record Forward(String proto, String hostIp, int hostPort, int containerPort) {}

    private record Rule(String table, String chain, String spec) {}

    private final String owner;
    private final boolean natLoopback;

    /**
     * @param owner       this daemon's mark in the rules' comments (hex, the same across its restarts)
     * @param natLoopback whether loopback clients are DNATed too (the userland proxy is off)
     */
    public PortNat(String owner, boolean natLoopback) {
        if (!owner.matches("[0-9a-f]{1,16}")) throw new IllegalArgumentException("owner must be hex: " + owner);
        this.owner = owner;
        this.natLoopback = natLoopback;
    }

    /** Whether loopback clients are DNATed (else the userland proxy serves them). */
    public boolean natLoopback() {
        return natLoopback;
    }

    /** Whether iptables can be run here at all. */
    public static boolean available() {
        return run(List.of("iptables", "-w", "-t", "nat", "-S", "POSTROUTING"), true) == 0;
    }

    /** The chains and the jumps into them, where missing. */
    public void setUpChains() throws IOException {
        Iptables.ensureChain("nat", DNAT);
        Iptables.ensureChain("nat", MASQ);
        Iptables.ensureChain("filter", ACCEPT);
        ensure("nat", "PREROUTING", List.of("-m", "addrtype", "--dst-type", "LOCAL", "-j", DNAT), false);
        ensure("nat", "OUTPUT", List.of("-m", "addrtype", "--dst-type", "LOCAL", "-j", DNAT), false);
        ensure("nat", "POSTROUTING", List.of("-j", MASQ), true);
        acceptFirstInForward();
    }

    /**
     * FORWARD's first rule is the jump to {@value #ACCEPT}: DNATed traffic from another network must be accepted before
     * the isolation of berth's networks (BERTH-FORWARD) drops it, whichever of the two jumps was added first.
     */
    private static void acceptFirstInForward() throws IOException {
        String jump = "-A FORWARD -j " + ACCEPT;
        var first = Iptables.rules("filter", "FORWARD").stream().findFirst();
        if (first.isPresent() && first.get().equals(jump)) return;
        Iptables.delete("filter", "FORWARD", List.of("-j", ACCEPT)); // every copy: the one inserted next is first
        must(List.of("iptables", "-w", "-t", "filter", "-I", "FORWARD", "1", "-j", ACCEPT));
    }

    /** Replaces the container's rules with those for {@code forwards} to {@code target}; all or nothing. */
    public void publish(String containerId, Target target, List<Forward> forwards) throws IOException {
        var rules = new ArrayList<Rule>();
        for (Forward f : forwards) rules.addAll(rules(containerId, target, f));
        if (natLoopback && !rules.isEmpty()) hairpin(target.bridge());
        apply(rules, tagged(Set.of(containerId), true));
    }

    /** Removes the container's rules; none left is fine. Failures are logged: a stop goes on. */
    public void unpublish(String containerId) {
        try {
            apply(List.of(), tagged(Set.of(containerId), true));
        } catch (IOException e) {
            log.warn("removing the port rules of {}: {}", containerId, e.getMessage());
        }
    }

    /** After a daemon start: removes this daemon's rules of containers not in {@code keep} (they ended meanwhile). */
    public void retainOnly(Set<String> keep) {
        try {
            var stale = tagged(keep, false);
            if (!stale.isEmpty()) log.info("removing {} port rules of containers that no longer run", stale.size());
            apply(List.of(), stale);
        } catch (IOException e) {
            log.warn("removing stale port rules: {}", e.getMessage());
        }
    }

    /** The rules of this daemon for the containers in {@code ids} ({@code in}) or for all others (not {@code in}), as iptables-save prints them. */
    private List<Rule> tagged(Set<String> ids, boolean in) throws IOException {
        var out = new ArrayList<Rule>();
        for (String table : List.of("nat", "filter")) {
            for (String line : output(List.of("iptables-save", "-t", table)).split("\n")) {
                if (!line.startsWith("-A ")) continue;
                int chainEnd = line.indexOf(' ', 3);
                String chain = chainEnd < 0 ? "" : line.substring(3, chainEnd);
                if (!chain.equals(DNAT) && !chain.equals(MASQ) && !chain.equals(ACCEPT)) continue;
                Matcher m = TAG.matcher(line);
                if (!m.find() || !m.group(1).equals(owner) || ids.contains(m.group(2)) != in) continue;
                out.add(new Rule(table, chain, line.substring(chainEnd + 1)));
            }
        }
        return out;
    }

    private List<Rule> rules(String id, Target t, Forward f) {
        String tag = "-m comment --comment berth:" + owner + ":" + id;
        String match = "-p " + f.proto() + " -m " + f.proto();
        boolean anyHost = f.hostIp().isEmpty() || "0.0.0.0".equals(f.hostIp());
        boolean loopbackOnly = !anyHost && f.hostIp().startsWith("127.");
        var out = new ArrayList<Rule>();
        if (loopbackOnly && !natLoopback) return out; // the proxy serves it alone
        String dest = anyHost ? (natLoopback ? "" : "! -d 127.0.0.0/8 ") : "-d " + f.hostIp() + "/32 ";
        // With the proxy, clients on the container's own bridge go through it too, as in dockerd; without it, their
        // hairpin is NATed and masqueraded so that the replies come back through the host.
        String from = natLoopback ? "" : "! -i " + t.bridge() + " ";
        out.add(new Rule("nat", DNAT, from + dest + match + " --dport " + f.hostPort() + " " + tag
                + " -j DNAT --to-destination " + t.ip() + ":" + f.containerPort()));
        if (natLoopback) {
            String toContainer = "-d " + t.ip() + "/32 " + match + " --dport " + f.containerPort() + " " + tag + " -j MASQUERADE";
            out.add(new Rule("nat", MASQ, "-s " + t.subnet() + " " + toContainer));
            out.add(new Rule("nat", MASQ, "-s 127.0.0.0/8 " + toContainer));
        }
        // Both ways: the replies of a container on another network than the client's would meet the isolation too.
        String dnated = " -m conntrack --ctstate DNAT " + tag + " -j ACCEPT";
        out.add(new Rule("filter", ACCEPT, "-d " + t.ip() + "/32 -o " + t.bridge() + " " + match + " --dport " + f.containerPort() + dnated));
        out.add(new Rule("filter", ACCEPT, "-s " + t.ip() + "/32 -i " + t.bridge() + " " + match + " --sport " + f.containerPort() + dnated));
        return out;
    }

    /**
     * Adds {@code add} and deletes {@code delete} in one iptables-restore run per table. The additions come first: a
     * rule in both (the same container published again by the next daemon) keeps serving throughout, its old copy
     * being the first one a delete finds.
     */
    private static void apply(List<Rule> add, List<Rule> delete) throws IOException {
        var script = new StringBuilder();
        for (String table : List.of("nat", "filter")) {
            var lines = new ArrayList<String>();
            for (Rule r : add) if (r.table.equals(table)) lines.add("-A " + r.chain + " " + r.spec);
            for (Rule r : delete) if (r.table.equals(table)) lines.add("-D " + r.chain + " " + r.spec);
            if (lines.isEmpty()) continue;
            script.append('*').append(table).append('\n');
            lines.forEach(l -> script.append(l).append('\n'));
            script.append("COMMIT\n");
        }
        if (!script.isEmpty()) must(List.of("iptables-restore", "-w", "--noflush"), script.toString());
    }

    /**
     * Lets the bridge route packets from 127.0.0.0/8, which a DNATed loopback client's are until masqueraded, and
     * its ports send a frame back out of the port it came in on, which a container's packets to its own published
     * port are (dockerd sets both when the userland proxy is off).
     */
    private static void hairpin(String bridge) {
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet"), "1");
            try (var ports = Files.list(Path.of("/sys/class/net", bridge, "brif"))) {
                for (Path port : ports.toList()) Files.writeString(port.resolve("hairpin_mode"), "1");
            }
        } catch (IOException e) {
            log.warn("cannot set up hairpin on {}: loopback clients and the container itself may not reach its published ports: {}",
                    bridge, e.getMessage());
        }
    }

    /** Adds the jump where missing: first in its chain or last. */
    private static void ensure(String table, String chain, List<String> spec, boolean first) throws IOException {
        if (first) Iptables.insertFirst(table, chain, spec);
        else Iptables.append(table, chain, spec);
    }
}
