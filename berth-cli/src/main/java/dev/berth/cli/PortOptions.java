package dev.berth.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** Ports and name resolution for {@code run}/{@code create}: -p, -P, --expose, --dns*, --add-host, --ip, aliases. */
final class PortOptions {
    /** [ip:][hostPort[-end]:]containerPort[-end][/proto]; an IPv6 host address goes in brackets. */
    private static final Pattern PUBLISH = Pattern.compile(
            "(?:(\\[[0-9a-fA-F:.]+\\]|\\d{1,3}(?:\\.\\d{1,3}){3}):)?(?:(\\d*(?:-\\d+)?):)?(\\d+(?:-\\d+)?)(?:/(tcp|udp|sctp))?");

    @Option(names = {"-p", "--publish"}, paramLabel = "list", description = "Publish a container's port(s) to the host")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random ports")
    boolean publishAll;

    @Option(names = "--expose", paramLabel = "list", description = "Expose a port or a range of ports")
    List<String> expose = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "list", description = "Set custom DNS servers")
    List<String> dns = new ArrayList<>();

    @Option(names = "--dns-search", paramLabel = "list", description = "Set custom DNS search domains")
    List<String> dnsSearch = new ArrayList<>();

    @Option(names = {"--dns-option", "--dns-opt"}, paramLabel = "list", description = "Set DNS options")
    List<String> dnsOptions = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "list", description = "Add a custom host-to-IP mapping (host:ip)")
    List<String> addHosts = new ArrayList<>();

    @Option(names = "--network-alias", paramLabel = "list", description = "Add network-scoped alias for the container")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., 172.30.100.104)")
    String ip;

    /** Adds ExposedPorts to the config and PortBindings, DNS and hosts to the host config. */
    void addTo(Map<String, Object> config, Map<String, Object> host) {
        var exposed = new LinkedHashMap<String, Object>();
        var bindings = new LinkedHashMap<String, List<Map<String, String>>>();
        for (String e : expose) {
            for (String port : range(e.contains("/") ? e.substring(0, e.indexOf('/')) : e, "--expose", e)) {
                exposed.put(port + "/" + (e.contains("/") ? e.substring(e.indexOf('/') + 1) : "tcp"), Map.of());
            }
        }
        for (String p : publish) parsePublish(p, exposed, bindings);
        if (!exposed.isEmpty()) config.put("ExposedPorts", exposed);
        if (!bindings.isEmpty()) host.put("PortBindings", bindings);
        if (publishAll) host.put("PublishAllPorts", true);
        if (!dns.isEmpty()) host.put("Dns", dns);
        if (!dnsSearch.isEmpty()) host.put("DnsSearch", dnsSearch);
        if (!dnsOptions.isEmpty()) host.put("DnsOptions", dnsOptions);
        if (!addHosts.isEmpty()) host.put("ExtraHosts", addHosts.stream().map(PortOptions::extraHost).toList());
    }

    /** NetworkingConfig for the container's first network, when aliases or an address were asked for. */
    Map<String, Object> networkingConfig(String network) {
        if (aliases.isEmpty() && ip == null) return null;
        var endpoint = new LinkedHashMap<String, Object>();
        if (!aliases.isEmpty()) endpoint.put("Aliases", aliases);
        if (ip != null) endpoint.put("IPAMConfig", Map.of("IPv4Address", ip));
        return Map.of("EndpointsConfig", Map.of(network == null || network.equals("default") ? "bridge" : network, endpoint));
    }

    static void parsePublish(String spec, Map<String, Object> exposed, Map<String, List<Map<String, String>>> bindings) {
        Matcher m = PUBLISH.matcher(spec);
        if (!m.matches()) throw new UsageError("invalid argument \"" + spec + "\" for \"-p, --publish\" flag: invalid publish spec");
        String ip = m.group(1) == null ? "" : m.group(1).replace("[", "").replace("]", "");
        String hostPart = m.group(2) == null ? "" : m.group(2);
        String proto = m.group(4) == null ? "tcp" : m.group(4);
        List<String> containerPorts = range(m.group(3), "-p", spec);
        List<String> hostPorts = hostPart.isEmpty() ? null : range(hostPart, "-p", spec);
        // Docker: a container range needs a host range of the same size; one container port with a host range gets
        // the range as the pool its host port is taken from.
        if (hostPorts != null && containerPorts.size() > 1 && hostPorts.size() != containerPorts.size()) {
            throw new UsageError("invalid argument \"" + spec + "\" for \"-p, --publish\" flag: invalid ranges specified for container and host Ports: "
                    + m.group(3) + " and " + hostPart);
        }
        for (int i = 0; i < containerPorts.size(); i++) {
            String key = containerPorts.get(i) + "/" + proto;
            exposed.put(key, Map.of());
            String hostPort = hostPorts == null ? "" : containerPorts.size() == 1 ? hostPart : hostPorts.get(i);
            var b = new LinkedHashMap<String, String>();
            b.put("HostIp", ip);
            b.put("HostPort", hostPort);
            bindings.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
        }
    }

    private static List<String> range(String text, String flag, String spec) {
        String[] ends = text.split("-");
        try {
            int from = Integer.parseInt(ends[0]);
            int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
            if (from < 1 || to > 65535 || to < from) throw new NumberFormatException();
            var out = new ArrayList<String>();
            for (int p = from; p <= to; p++) out.add(Integer.toString(p));
            return out;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new UsageError("invalid argument \"" + spec + "\" for \"" + flag + "\" flag: invalid port: " + text);
        }
    }

    /** {@code --add-host name:ip} (or {@code name=ip}, or {@code name:host-gateway}) as Docker sends it: {@code name:ip}. */
    static String extraHost(String spec) {
        int sep = spec.indexOf('=');
        if (sep < 0) sep = spec.indexOf(':');
        if (sep <= 0 || sep == spec.length() - 1) {
            throw new UsageError("invalid argument \"" + spec + "\" for \"--add-host\" flag: bad format for add-host: \"" + spec + "\"");
        }
        return spec.substring(0, sep) + ":" + spec.substring(sep + 1);
    }
}
