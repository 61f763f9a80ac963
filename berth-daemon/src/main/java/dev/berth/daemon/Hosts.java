package dev.berth.daemon;

/**
 * The daemon's {@code -H} addresses in dockerd's forms: {@code unix:///path}, {@code tcp://host:port} (also
 * {@code host:port}, {@code :port}, {@code tcp://}), and {@code fd://} or {@code fd://N} for sockets inherited from
 * systemd. An empty host means 127.0.0.1 and a missing port 2375, or 2376 with TLS, as in dockerd.
 */
public final class Hosts {
    private Hosts() {}

    public static final String DEFAULT = "unix:///var/run/berth.sock";

    /** The canonical form of {@code host}; an address of no known form is refused naming it. */
    public static String normalize(String host, boolean tls) {
        String h = host.strip();
        if (h.isEmpty() || h.equals("unix://")) return DEFAULT;
        if (h.startsWith("unix://")) {
            if (!h.startsWith("unix:///")) throw invalid(host);
            return h;
        }
        if (h.startsWith("fd://")) {
            String n = h.substring("fd://".length());
            if (!n.isEmpty() && !n.chars().allMatch(Character::isDigit)) throw invalid(host);
            return h;
        }
        String rest;
        if (h.startsWith("tcp://")) rest = h.substring("tcp://".length());
        else if (!h.contains("://")) rest = h;
        else throw invalid(host);
        int slash = rest.indexOf('/');
        if (slash >= 0) rest = rest.substring(0, slash);
        String name = rest;
        String port = "";
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && !rest.endsWith("]")) {
            name = rest.substring(0, colon);
            port = rest.substring(colon + 1);
        }
        if (name.isEmpty()) name = "127.0.0.1";
        if (port.isEmpty()) port = tls ? "2376" : "2375";
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw invalid(host);
        }
        return "tcp://" + name + ":" + port;
    }

    private static ConfigSources.BadValue invalid(String host) {
        return ConfigSources.Values.invalid("hosts", "invalid bind address format: " + host
                + " (use unix:///path, tcp://host:port or fd://)");
    }
}
