package dev.berth.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code port}: the host addresses a container's ports are published on, from inspect's
 * {@code NetworkSettings.Ports}, one per line in natural order, as the Docker CLI prints them.
 */
@Command(name = "port", description = "List port mappings or a specific mapping for the container",
        customSynopsis = "berth port CONTAINER [PRIVATE_PORT[/PROTO]]")
final class PortCommand extends CliCommand {
    private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "PRIVATE_PORT[/PROTO]", arity = "0..1")
    String port;

    PortCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        JsonNode ports = client().get("/containers/" + container + "/json").path("NetworkSettings").path("Ports");
        var out = new ArrayList<String>();
        if (port != null) {
            int slash = port.indexOf('/');
            String number = slash < 0 ? port : port.substring(0, slash);
            String proto = slash < 0 || slash == port.length() - 1 ? "tcp" : port.substring(slash + 1);
            if (!number.matches("\\d{1,5}") || Integer.parseInt(number) > 65535) {
                throw new Failure(1, "Error: invalid port (" + number + ")");
            }
            JsonNode frontends = ports.path(Integer.parseInt(number) + "/" + proto);
            if (!frontends.isArray() || frontends.isEmpty()) {
                throw new Failure(1, "Error: No public port '" + port + "' published for " + container);
            }
            for (JsonNode f : frontends) out.add(hostPort(f));
        } else {
            for (var e : ports.properties()) {
                if (!e.getValue().isArray()) continue; // exposed, not published
                for (JsonNode f : e.getValue()) out.add(e.getKey() + " -> " + hostPort(f));
            }
        }
        out.sort(NATURAL);
        out.forEach(session.out::println);
        return 0;
    }

    private static String hostPort(JsonNode f) {
        return PortsColumn.hostPort(f.path("HostIp").asString(""), f.path("HostPort").asString(""));
    }

    /** Runs of digits compare as numbers, the rest as text: 9/tcp before 80/tcp. */
    static final Comparator<String> NATURAL = (a, b) -> {
        List<String> x = chunks(a);
        List<String> y = chunks(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            String p = x.get(i);
            String q = y.get(i);
            int c = Character.isDigit(p.charAt(0)) && Character.isDigit(q.charAt(0))
                    ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q)) : p.compareTo(q);
            if (c != 0) return c;
        }
        return Integer.compare(x.size(), y.size());
    };

    private static List<String> chunks(String s) {
        var out = new ArrayList<String>();
        Matcher m = CHUNK.matcher(s);
        while (m.find()) out.add(m.group());
        return out;
    }
}
