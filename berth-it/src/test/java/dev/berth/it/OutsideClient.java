package dev.berth.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client outside the host, as far as the host's networking can tell: a network namespace of the test's own,
 * joined to the host by a veth pair on a /30 of 198.18.0.0/15 (the block set aside for such tests), with its default
 * route through the host's end. What it sends to the host's end arrives as from another machine would.
 */
final class OutsideClient implements AutoCloseable {
    private final String netns;
    private final String hostVeth;
    private final String hostAddress;
    private final String clientAddress;

    OutsideClient() throws Exception {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        int net = ThreadLocalRandom.current().nextInt(1, 63) * 4;
        int third = ThreadLocalRandom.current().nextInt(0, 256);
        netns = "berth-it-" + tag;
        hostVeth = "bith" + tag;
        String peer = "bitn" + tag;
        hostAddress = "198.18." + third + "." + (net + 1);
        clientAddress = "198.18." + third + "." + (net + 2);
        try {
            must("ip", "netns", "add", netns);
            must("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", peer);
            must("ip", "link", "set", peer, "netns", netns);
            must("ip", "addr", "add", hostAddress + "/30", "dev", hostVeth);
            must("ip", "link", "set", hostVeth, "up");
            must("ip", "netns", "exec", netns, "ip", "addr", "add", clientAddress + "/30", "dev", peer);
            must("ip", "netns", "exec", netns, "ip", "link", "set", peer, "up");
            must("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
            must("ip", "netns", "exec", netns, "ip", "route", "add", "default", "via", hostAddress);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The host's address as the client sees it. */
    String hostAddress() {
        return hostAddress;
    }

    /** The client's own address, which a server reached through NAT sees. */
    String clientAddress() {
        return clientAddress;
    }

    /** An HTTP GET from the client (curl's result: its exit code 7 is "connection refused", 28 a time-out). */
    Cli.Result get(String url) throws Exception {
        return Cli.run(List.of("ip", "netns", "exec", netns, "curl", "-s", "--max-time", "5", url), Map.of(), null);
    }

    /** Sends {@code text} in one UDP datagram from the client and returns what comes back within 3 s. */
    String udp(String host, int port, String text) throws Exception {
        return Cli.run(List.of("ip", "netns", "exec", netns, "bash", "-c",
                "exec 3<>/dev/udp/" + host + "/" + port + "; printf %s \"$1\" >&3; timeout 3 cat <&3", "udp", text), Map.of(), null).out();
    }

    private static void must(String... cmd) throws Exception {
        var r = Cli.run(List.of(cmd), Map.of(), null);
        if (r.exit() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + r);
    }

    @Override
    public void close() throws Exception {
        // Removing the namespace removes the client's end, and with it the pair; the host's end is removed in case.
        Cli.run(List.of("ip", "netns", "del", netns), Map.of(), null);
        Cli.run(List.of("ip", "link", "del", hostVeth), Map.of(), null);
    }
}
