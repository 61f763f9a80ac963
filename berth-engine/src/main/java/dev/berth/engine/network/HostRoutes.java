package dev.berth.engine.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPv4 routes (every table) and addresses the host has, read with iproute2, as subnets a new network must not
 * overlap; a route or address without a prefix counts as a /32.
 */
final class HostRoutes {
    private static final Logger log = LoggerFactory.getLogger(HostRoutes.class);
    private static final Pattern ADDRESS = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)(/\\d+)?");
    private static final Pattern ROUTE_DEVICE = Pattern.compile("\\sdev\\s+(\\S+)");
    private static final Pattern ADDR_DEVICE = Pattern.compile("^\\d+:\\s+([^\\s@]+)");
    private static final Pattern INET = Pattern.compile("\\sinet\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+)");

    private HostRoutes() {}

    /** Every route and address of the host. */
    static List<Subnet> all() {
        return except(null);
    }

    /** The routes and addresses of every interface but {@code device} (null: of all), and routes without one. */
    static List<Subnet> except(String device) {
        try {
            return parse(HostCommands.output(List.of("ip", "-4", "route", "show", "table", "all")),
                    HostCommands.output(List.of("ip", "-4", "-o", "addr", "show")), device);
        } catch (IOException e) {
            log.warn("reading the host's routes: {}", e.getMessage());
            return List.of();
        }
    }

    /** The first IPv4 address with its prefix that {@code device} carries, if it exists and has one. */
    static Optional<String> ipv4Of(String device) {
        if (HostCommands.run(List.of("ip", "link", "show", "dev", device), true) != 0) return Optional.empty();
        try {
            return ipv4sOf(device).stream().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every IPv4 address with its prefix that {@code device} carries ({@code 172.30.0.1/16}). */
    static List<String> ipv4sOf(String device) throws IOException {
        Matcher m = INET.matcher(HostCommands.output(List.of("ip", "-4", "-o", "addr", "show", "dev", device)));
        var out = new ArrayList<String>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** {@code ip -4 route show table all} and {@code ip -4 -o addr show} output as subnets, skipping lines of {@code device}. */
    static List<Subnet> parse(String routes, String addrs, String device) {
        var out = new ArrayList<Subnet>();
        for (String line : routes.split("\n")) {
            Matcher d = ROUTE_DEVICE.matcher(line);
            if (device != null && d.find() && d.group(1).equals(device)) continue;
            addAll(line, out);
        }
        for (String line : addrs.split("\n")) {
            Matcher d = ADDR_DEVICE.matcher(line);
            if (device != null && d.find() && d.group(1).equals(device)) continue;
            addAll(line, out);
        }
        return out;
    }

    private static void addAll(String line, List<Subnet> out) {
        Matcher m = ADDRESS.matcher(line);
        while (m.find()) {
            try {
                out.add(Subnet.parse(m.group(1) + (m.group(2) == null ? "/32" : m.group(2))));
            } catch (IllegalArgumentException ignored) {
                // not an address
            }
        }
    }
}
