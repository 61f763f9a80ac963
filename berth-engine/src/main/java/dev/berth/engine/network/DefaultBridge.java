package dev.berth.engine.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which address the default {@code bridge} network's Linux bridge gets, as dockerd decides it: the {@code --bip}
 * when given; else the address the bridge already carries; else 172.30.0.1/16 unless the host uses part of
 * 172.30.0.0/16 on another interface, in which case the first free subnet of the address pools (gateway: its first
 * address).
 */
public final class DefaultBridge {
    /** The default bridge's subnet unless configured or taken. */
    public static final Subnet DEFAULT_SUBNET = Subnet.parse("172.30.0.0/16");
    /** Docker's docker0 subnet: never picked, so berth and Docker can run side by side. */
    static final Subnet DOCKER0 = Subnet.parse("172.17.0.0/16");

    private DefaultBridge() {}

    /** A gateway address on its subnet, and why it was chosen (for the log). */
    public record Address(Subnet subnet, String gateway, String why) {}

    /**
     * The default bridge {@code name} (a valid interface name) with its address; leases under
     * {@code leasesRoot/name}. {@code bip} may be null or empty; {@code networks} are the subnets of the user-defined
     * networks, which the bridge must not take either (their bridges may be down after a reboot). An interface of
     * that name that is not a bridge, or no free subnet, is an {@link IllegalStateException}.
     */
    public static BridgeNetwork open(String name, String bip, AddressPools pools, List<Subnet> networks, Path leasesRoot,
                                     Path dataRoot) {
        if (Files.exists(Path.of("/sys/class/net", name)) && !Files.isDirectory(Path.of("/sys/class/net", name, "bridge"))) {
            throw new IllegalStateException("the default bridge " + name + " is an existing interface that is not a bridge");
        }
        var taken = new ArrayList<>(HostRoutes.except(name));
        taken.addAll(networks);
        Address a = choose(bip, HostRoutes.ipv4Of(name), taken, pools);
        org.slf4j.LoggerFactory.getLogger(DefaultBridge.class).info("default bridge {}: {} on {} ({})", name, a.gateway(), a.subnet(), a.why());
        return new BridgeNetwork(name, a.subnet(), a.gateway(), null, leasesRoot.resolve(name), dataRoot, "vb");
    }

    /**
     * The choice itself: {@code existing} is the address the bridge carries (with its prefix), {@code taken} what the
     * host and the networks use elsewhere.
     */
    static Address choose(String bip, Optional<String> existing, List<Subnet> taken, AddressPools pools) {
        if (bip != null && !bip.isEmpty()) return at(bip, "--bip");
        if (existing.isPresent()) return at(existing.get(), "the address the bridge has");
        var avoid = new ArrayList<>(taken);
        if (avoid.stream().noneMatch(DEFAULT_SUBNET::overlaps)) {
            return new Address(DEFAULT_SUBNET, BridgeNetwork.toIp(DEFAULT_SUBNET.network() + 1), "the default");
        }
        avoid.add(DOCKER0);
        Subnet s = pools.first(avoid).orElseThrow(() -> new IllegalStateException(
                "no free subnet for the default bridge: " + DEFAULT_SUBNET + " and every subnet of the address pools "
                        + "overlap routes or addresses of the host; give one with --bip"));
        return new Address(s, BridgeNetwork.toIp(s.network() + 1), DEFAULT_SUBNET + " is in use on the host, first free subnet of the pools");
    }

    private static Address at(String cidr, String why) {
        Subnet s = Subnet.parse(cidr);
        return new Address(s, cidr.substring(0, cidr.indexOf('/')), why);
    }
}
