package dev.berth.engine.network;

import dev.berth.common.AtomicFiles;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's default {@code bridge} network: a Linux bridge (berth0, 172.30.0.0/16 unless configured) with the first
 * address of the subnet as the gateway, a veth pair per running container (the container's end is its eth0), and
 * outbound NAT through an iptables MASQUERADE rule for the subnet. Links and addresses are set with iproute2's
 * {@code ip}, rules with {@code iptables}.
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
    private final Path leasesDir;
    private final String owner;

    /** An address of a container on this network. */
    public record Lease(String containerId, String ip, int prefix, String gateway, String mac, String bridge) {}

    public BridgeNetwork(String bridge, String cidr, Path leasesDir, Path dataRoot) {
        if (bridge.length() > 15) throw new IllegalArgumentException("bridge name longer than 15 characters: " + bridge);
        String[] parts = cidr.split("/");
        this.prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 16;
        if (prefix < 8 || prefix > 30) throw new IllegalArgumentException("bridge subnet prefix out of range: " + cidr);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        this.bridge = bridge;
        this.network = toInt(parts[0]) & mask;
        this.gateway = network + 1;
        this.leasesDir = leasesDir;
        this.owner = dataRoot.toAbsolutePath().normalize().toString();
    }

    public String bridgeName() { return bridge; }
    public String subnet() { return toIp(network) + "/" + prefix; }
    public String gatewayIp() { return toIp(gateway); }

    /** Creates the bridge, its gateway address, forwarding and the NAT rule, where missing. Idempotent. */
    public void setUp() throws IOException {
        Files.createDirectories(leasesDir);
        AtomicFiles.sweepTemporaries(leasesDir);
        if (run(List.of("ip", "link", "show", "dev", bridge), true) != 0) {
            must(List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
        }
        must(List.of("ip", "addr", "replace", gatewayIp() + "/" + prefix, "dev", bridge));
        must(List.of("ip", "link", "set", "dev", bridge, "up"));
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
        } catch (IOException e) {
            log.warn("cannot enable IP forwarding: {}", e.getMessage());
        }
        ensureRule("nat", "POSTROUTING", "-s", subnet(), "!", "-o", bridge, "-j", "MASQUERADE");
        ensureRule("filter", "FORWARD", "-i", bridge, "-j", "ACCEPT");
        ensureRule("filter", "FORWARD", "-o", bridge, "-j", "ACCEPT");
    }

    private void ensureRule(String table, String chain, String... rule) throws IOException {
        var check = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-C", chain));
        check.addAll(List.of(rule));
        if (run(check, true) == 0) return;
        var add = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-A", chain));
        add.addAll(List.of(rule));
        must(add);
    }

    /** Leases a free address for {@code containerId} (or returns the one it holds). */
    public Lease lease(String containerId) throws IOException {
        var held = leaseOf(containerId);
        if (held.isPresent()) return held.get();
        Path tmp = leasesDir.resolve(AtomicFiles.TEMP_PREFIX + containerId);
        AtomicFiles.write(tmp, (owner + "\n" + containerId + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            int broadcast = network + (1 << (32 - prefix)) - 1;
            for (int a = gateway + 1; a < broadcast; a++) {
                Path p = leasesDir.resolve(toIp(a));
                if (Files.exists(p)) continue;
                try {
                    Files.createLink(p, tmp);
                    AtomicFiles.fsyncDirectory(leasesDir);
                    return lease(containerId, a);
                } catch (FileAlreadyExistsException raced) {
                    // taken meanwhile: try the next one
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        throw new IOException("no free address left in " + subnet() + " on " + bridge);
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
        String host = hostVeth(l.containerId()), peer = "vp" + l.containerId().substring(0, 11);
        run(List.of("ip", "link", "del", "dev", host), true); // a leftover of a failed attempt
        try {
            must(List.of("ip", "link", "add", "name", host, "type", "veth", "peer", "name", peer));
            must(List.of("ip", "link", "set", "dev", host, "master", bridge, "up"));
            must(List.of("ip", "link", "set", "dev", peer, "netns", Integer.toString(pid)));
            String script = String.join("\n",
                    "link set dev " + peer + " name eth0",
                    "link set dev eth0 address " + l.mac(),
                    "addr add " + l.ip() + "/" + l.prefix() + " dev eth0",
                    "link set dev eth0 up",
                    "route add default via " + l.gateway() + " dev eth0") + "\n";
            must(List.of("nsenter", "-t", Integer.toString(pid), "-n", "ip", "-batch", "-"), script);
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

    static String hostVeth(String containerId) {
        return "vb" + containerId.substring(0, Math.min(11, containerId.length()));
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

    static String toIp(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    private static void must(List<String> cmd) throws IOException {
        must(cmd, null);
    }

    private static void must(List<String> cmd, String stdin) throws IOException {
        var r = exec(cmd, stdin);
        if (r.code != 0) throw new IOException(String.join(" ", cmd) + ": " + r.output.strip());
    }

    private static int run(List<String> cmd, boolean quiet) {
        try {
            var r = exec(cmd, null);
            if (r.code != 0 && !quiet) log.warn("{}: {}", String.join(" ", cmd), r.output.strip());
            return r.code;
        } catch (IOException e) {
            log.warn("{}: {}", String.join(" ", cmd), e.getMessage());
            return -1;
        }
    }

    private record Result(int code, String output) {}

    private static Result exec(List<String> cmd, String stdin) throws IOException {
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
