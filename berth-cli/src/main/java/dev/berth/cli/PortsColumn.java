package dev.berth.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The PORTS column of {@code ps} as the Docker CLI writes it: ports sorted by container port, host address, host port
 * and protocol; runs of consecutive ports folded into ranges ({@code 80-81/tcp} for exposed ones,
 * {@code 0.0.0.0:8000-8001->8000-8001/tcp} for ones published on the same port number); a port published on another
 * number listed on its own after the ranges ({@code 0.0.0.0:8080->80/tcp}).
 */
final class PortsColumn {
    /** One entry of a container summary's {@code Ports}: ip is "" and publicPort 0 for a port only exposed. */
    record Port(String ip, int privatePort, int publicPort, String type) {
        static Port of(JsonNode p) {
            return new Port(p.path("IP").asString(""), p.path("PrivatePort").asInt(), p.path("PublicPort").asInt(0),
                    p.path("Type").asString("tcp"));
        }
    }

    private static final Comparator<Port> ORDER = Comparator.comparingInt(Port::privatePort).thenComparing(Port::ip)
            .thenComparingInt(Port::publicPort).thenComparing(Port::type);

    private PortsColumn() {}

    static String of(JsonNode ports) {
        var list = new ArrayList<Port>();
        for (JsonNode p : ports) list.add(Port.of(p));
        return of(list);
    }

    static String of(List<Port> ports) {
        var sorted = new ArrayList<>(ports);
        sorted.sort(ORDER);
        var open = new LinkedHashMap<String, int[]>(); // a group's key -> its first and last port, in order of creation
        var out = new ArrayList<String>();
        var mappings = new ArrayList<String>();
        for (Port p : sorted) {
            String key = p.type();
            if (!p.ip().isEmpty()) {
                if (p.publicPort() != p.privatePort()) {
                    mappings.add(hostPort(p.ip(), Integer.toString(p.publicPort())) + "->" + p.privatePort() + "/" + p.type());
                    continue;
                }
                key = p.ip() + "/" + p.type();
            }
            int[] group = open.get(key);
            if (group == null) {
                open.put(key, new int[] {p.privatePort(), p.privatePort()});
            } else if (p.privatePort() == group[1] + 1) {
                group[1] = p.privatePort();
            } else {
                out.add(group(key, group)); // a gap closes the run; the key keeps its place for the next one
                open.put(key, new int[] {p.privatePort(), p.privatePort()});
            }
        }
        open.forEach((key, group) -> out.add(group(key, group)));
        out.addAll(mappings);
        return String.join(", ", out);
    }

    private static String group(String key, int[] g) {
        int slash = key.lastIndexOf('/');
        String ip = slash < 0 ? "" : key.substring(0, slash);
        String type = key.substring(slash + 1);
        String ports = g[0] == g[1] ? Integer.toString(g[0]) : g[0] + "-" + g[1];
        return (ip.isEmpty() ? ports : hostPort(ip, ports) + "->" + ports) + "/" + type;
    }

    /** {@code ip:port}, an IPv6 address in brackets, as Go's net.JoinHostPort writes it. */
    static String hostPort(String ip, String port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
