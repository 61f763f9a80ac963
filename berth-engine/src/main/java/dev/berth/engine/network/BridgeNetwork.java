package dev.berth.engine.network;

import static dev.berth.engine.network.HostCommands.must;
import static dev.berth.engine.network.HostCommands.run;

import dev.berth.common.AtomicFiles;
import dev.berth.common.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's default {@code bridge} network: a Linux bridge (berth0 on 172.30.0.0/16 unless configured, see
 * {@link DefaultBridge}) with the gateway address (the subnet's first unless configured), a veth pair per running
 * container (the container's end is its eth0), and outbound NAT through an iptables MASQUERADE rule for the subnet.
 * Links and addresses are set with iproute2's {@code ip}, rules with {@code iptables}.
 *
 * <p>IPAM: an address is leased by a file named after it in {@code leasesDir}, created with a hard link from a
 * complete temporary file, so a lease is taken by exactly one container and is never seen half-written, also after
 * a crash. The lease file holds the owning daemon's data root and the container's id: daemons sharing the bridge
 * share the leases, and each releases only its own. Leases live as long as the container runs; the kernel removes a
 * container's veth pair with its network namespace, {@link #release} removes it too should it still exist.
 */
public final class BridgeNetwork {
    private static final Logger log = LoggerFactory.getLogger(BridgeNetwork.class);
    public static final String NAME = "bridge";

    private final String bridge;
    private final int network;   // subnet address
    private final int prefix;
    private final int gateway;
    private final Subnet range;  // where addresses are leased from (the subnet, or the network's --ip-range)
    private final Path leasesDir;
    private final String owner;
    private final String vethPrefix;

    /** An address of a container on this network. */
    public record Lease(String containerId, String ip, int prefix, String gateway, String mac, String bridge) {}

    public BridgeNetwork(String bridge, String cidr, Path leasesDir, Path dataRoot) {
        this(bridge, defaultSubnet(cidr), null, null, leasesDir, dataRoot, "vb");
    }

    /**
     * A bridge network on {@code subnet}: {@code gateway} null means the subnet's first address, {@code range} null
     * the whole subnet; host-side veth names are {@code vethPrefix} plus the start of the container's id.
     */
    public BridgeNetwork(String bridge, Subnet subnet, String gateway, Subnet range, Path leasesDir, Path dataRoot,
                         String vethPrefix) {
        if (bridge.length() > 15) throw new IllegalArgumentException("bridge name longer than 15 characters: " + bridge);
        this.bridge = bridge;
        this.network = subnet.network();
        this.prefix = subnet.prefix();
        this.gateway = gateway == null ? network + 1 : toInt(gateway);
        this.range = range == null ? subnet : range;
        this.leasesDir = leasesDir;
        this.owner = dataRoot.toAbsolutePath().normalize().toString();
        this.vethPrefix = vethPrefix;
    }

    private static Subnet defaultSubnet(String cidr) {
        String[] parts = cidr.split("/");
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 16;
        if (prefix < 8 || prefix > 30) throw new IllegalArgumentException("bridge subnet prefix out of range: " + cidr);
        return new Subnet(toInt(parts[0]), prefix);
    }

    public String bridgeName() { return bridge; }
    public String subnet() { return toIp(network) + "/" + prefix; }
    public String gatewayIp() { return toIp(gateway); }
    public Path leasesDir() { return leasesDir; }

    /** Creates the bridge, its gateway address, forwarding and the NAT rule, where missing. Idempotent. */
    public void setUp() throws IOException {
        Files.createDirectories(leasesDir);
        AtomicFiles.sweepTemporaries(leasesDir);
        if (run(List.of("ip", "link", "show", "dev", bridge), true) != 0) {
            must(List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
        }
        must(List.of("ip", "addr", "replace", gatewayIp() + "/" + prefix, "dev", bridge));
        dropOtherAddresses();
        must(List.of("ip", "link", "set", "dev", bridge, "up"));
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
        } catch (IOException e) {
            log.warn("cannot enable IP forwarding: {}", e.getMessage());
        }
        Iptables.append("nat", "POSTROUTING", List.of("-s", subnet(), "!", "-o", bridge, "-j", "MASQUERADE"));
        dropOtherMasquerades();
        Iptables.append("filter", "FORWARD", List.of("-i", bridge, "-j", "ACCEPT"));
        Iptables.append("filter", "FORWARD", List.of("-o", bridge, "-j", "ACCEPT"));
    }

    /** Another IPv4 address on the bridge (a --bip changed since) goes, as dockerd replaces it. */
    private void dropOtherAddresses() throws IOException {
        for (String address : HostRoutes.ipv4sOf(bridge)) {
            if (address.equals(gatewayIp() + "/" + prefix)) continue;
            log.info("removing address {} from {}: the bridge's address is now {}/{}", address, bridge, gatewayIp(), prefix);
            must(List.of("ip", "addr", "del", address, "dev", bridge));
        }
    }

    /**
     * The outbound NAT rule of a subnet the bridge had before (a --bip changed since) goes with that address: the
     * bridge carries one address, so a rule for another subnet on it serves no one.
     */
    private void dropOtherMasquerades() throws IOException {
        var rule = Pattern.compile("-A POSTROUTING -s (\\S+) ! -o " + Pattern.quote(bridge) + " -j MASQUERADE");
        for (String line : Iptables.rules("nat", "POSTROUTING")) {
            var m = rule.matcher(line);
            if (!m.matches() || m.group(1).equals(subnet())) continue;
            log.info("removing the outbound NAT rule of {} on {}: the bridge's subnet is now {}", m.group(1), bridge, subnet());
            Iptables.delete("nat", "POSTROUTING", List.of("-s", m.group(1), "!", "-o", bridge, "-j", "MASQUERADE"));
        }
    }

    /** Leases a free address for {@code containerId} (or returns the one it holds). */
    public Lease lease(String containerId) throws IOException {
        return lease(containerId, null);
    }

    /**
     * Leases {@code requested} (an address the caller checked is inside the subnet), or a free address when it is
     * null, for {@code containerId}; returns the one it holds already. A requested address that another container
     * holds is a 409 as in dockerd.
     */
    public Lease lease(String containerId, String requested) throws IOException {
        var held = leaseOf(containerId);
        if (held.isPresent()) return held.get();
        Files.createDirectories(leasesDir);
        Path tmp = leasesDir.resolve(AtomicFiles.TEMP_PREFIX + containerId);
        AtomicFiles.write(tmp, (owner + "\n" + containerId + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            if (requested != null) {
                int a = toInt(requested);
                if (!take(a, tmp)) throw EngineException.conflict("Address already in use");
                return lease(containerId, a);
            }
            int broadcast = network + (1 << (32 - prefix)) - 1;
            for (int a = range.network(); a <= range.last(); a++) {
                if (a == network || a == broadcast || a == gateway) continue;
                if (take(a, tmp)) return lease(containerId, a);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        throw new IOException("no free address left in " + range + " on " + bridge);
    }

    /** Takes the lease of address {@code a} with a hard link to the complete lease file; false when it is taken. */
    private boolean take(int a, Path tmp) throws IOException {
        Path p = leasesDir.resolve(toIp(a));
        if (Files.exists(p)) return false;
        try {
            Files.createLink(p, tmp);
            AtomicFiles.fsyncDirectory(leasesDir);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        }
    }

    /** The leases this daemon holds on this network. */
    public List<Lease> held() {
        var out = new ArrayList<Lease>();
        for (var e : leases()) if (e.owner.equals(owner)) out.add(lease(e.containerId, toInt(e.ip)));
        return out;
    }

    /** Whether any daemon holds an address on this network. */
    public boolean anyLeases() {
        return !leases().isEmpty();
    }

    /** The address {@code containerId} holds, if any. */
    public Optional<Lease> leaseOf(String containerId) {
        for (var e : leases()) {
            if (e.owner.equals(owner) && e.containerId.equals(containerId)) return Optional.of(lease(containerId, toInt(e.ip)));
        }
        return Optional.empty();
    }

    /**
     * Gives the container's end of a new veth pair to the network namespace of {@code pid} as eth0, with the
     * lease's address and MAC and a default route through the gateway; the host's end joins the bridge.
     */
    public void plumb(Lease l, int pid) throws IOException {
        plumb(l, pid, "eth0", true);
    }

    /** As above, as interface {@code ifname}, with the default route only when {@code defaultRoute}. */
    public void plumb(Lease l, int pid, String ifname, boolean defaultRoute) throws IOException {
        String host = hostVeth(l.containerId()), peer = "t" + host.substring(1);
        run(List.of("ip", "link", "del", "dev", host), true); // a leftover of a failed attempt
        try {
            must(List.of("ip", "link", "add", "name", host, "type", "veth", "peer", "name", peer));
            must(List.of("ip", "link", "set", "dev", host, "master", bridge, "up"));
            must(List.of("ip", "link", "set", "dev", peer, "netns", Integer.toString(pid)));
            var script = new ArrayList<>(List.of(
                    "link set dev " + peer + " name " + ifname,
                    "link set dev " + ifname + " address " + l.mac(),
                    "addr add " + l.ip() + "/" + l.prefix() + " dev " + ifname,
                    "link set dev " + ifname + " up"));
            if (defaultRoute) script.add("route add default via " + l.gateway() + " dev " + ifname);
            must(List.of("nsenter", "-t", Integer.toString(pid), "-n", "ip", "-batch", "-"), String.join("\n", script) + "\n");
            log.debug("container {} on {} as {}", l.containerId(), bridge, l.ip());
        } catch (IOException | RuntimeException e) {
            run(List.of("ip", "link", "del", "dev", host), true);
            throw e;
        }
    }

    /** Releases the container's address and removes its veth pair if the kernel has not yet. Idempotent. */
    public void release(String containerId) {
        run(List.of("ip", "link", "del", "dev", hostVeth(containerId)), true);
        for (var e : leases()) {
            if (e.owner.equals(owner) && e.containerId.equals(containerId)) {
                try {
                    Files.deleteIfExists(leasesDir.resolve(e.ip));
                } catch (IOException ex) {
                    log.warn("releasing {} of {}: {}", e.ip, containerId, ex.getMessage());
                }
            }
        }
    }

    /**
     * After a daemon start: releases this daemon's leases of containers that do not run (a crash between exit and
     * release), and leases of daemons whose data root no longer exists.
     */
    public void reconcile(Set<String> running) {
        for (var e : leases()) {
            boolean mine = e.owner.equals(owner);
            if (mine && !running.contains(e.containerId)) {
                log.info("releasing {} of container {} that does not run", e.ip, e.containerId);
                release(e.containerId);
            } else if (!mine && !Files.isDirectory(Path.of(e.owner))) {
                run(List.of("ip", "link", "del", "dev", hostVeth(e.containerId)), true);
                try {
                    Files.deleteIfExists(leasesDir.resolve(e.ip));
                } catch (IOException ignored) {
                    // another daemon may do it
                }
            }
        }
    }

    /** The host's end of the container's veth pair on this network. */
    String hostVeth(String containerId) {
        return vethPrefix + containerId.substring(0, Math.min(15 - vethPrefix.length(), containerId.length()));
    }

    private record Entry(String ip, String owner, String containerId) {}

    private List<Entry> leases() {
        var out = new ArrayList<Entry>();
        try (var s = Files.list(leasesDir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(AtomicFiles.TEMP_PREFIX)) continue;
                try {
                    var lines = Files.readAllLines(p);
                    if (lines.size() >= 2) out.add(new Entry(n, lines.get(0), lines.get(1)));
                } catch (NoSuchFileException gone) {
                    // released meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private Lease lease(String containerId, int a) {
        String mac = String.format("02:42:%02x:%02x:%02x:%02x", (a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
        return new Lease(containerId, toIp(a), prefix, gatewayIp(), mac, bridge);
    }

    /**
     * A dotted-quad IPv4 address as an int; parsed here, never looked up (the one parser for subnets, leases and
     * published ports' host addresses). An {@link IllegalArgumentException} for anything else.
     */
    public static int toInt(String ip) {
        String[] p = ip.split("\\.", -1);
        if (p.length != 4) throw new IllegalArgumentException("invalid IPv4 address: " + ip);
        int a = 0;
        for (String part : p) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("invalid IPv4 address: " + ip);
            }
            a = a << 8 | Integer.parseInt(part);
        }
        return a;
    }

    public static String toIp(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
