package dev.berth.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens, as the user names it: {@code unix:///path} or {@code tcp://host:port}, as in Docker's
 * {@code -H} and {@code DOCKER_HOST}. A bare path means a unix socket; {@code tcp://host} without a port means 2375.
 */
public record DaemonHost(String text, SocketAddress address) {
    public static final String DEFAULT = "unix:///var/run/berth.sock";

    /** The host from {@code -H}, else {@code BERTH_HOST}, else {@code DOCKER_HOST}, else the default socket. */
    public static DaemonHost resolve(String flag, Map<String, String> env) {
        return resolve(flag, env, false);
    }

    /** As {@link #resolve(String, Map)}; a tcp host without a port means 2376 with {@code tls}, as in Docker. */
    public static DaemonHost resolve(String flag, Map<String, String> env, boolean tls) {
        for (String candidate : new String[] {flag, env.get("BERTH_HOST"), env.get("DOCKER_HOST")}) {
            if (candidate != null && !candidate.isBlank()) return parse(candidate.strip(), tls);
        }
        return parse(DEFAULT);
    }

    public static DaemonHost parse(String text) {
        return parse(text, false);
    }

    public static DaemonHost parse(String text, boolean tls) {
        if (text.startsWith("unix://")) {
            String path = text.substring("unix://".length());
            if (path.isEmpty()) throw new IllegalArgumentException("invalid host: " + text + " (no socket path)");
            return new DaemonHost(text, UnixDomainSocketAddress.of(Path.of(path)));
        }
        if (text.startsWith("/")) return new DaemonHost("unix://" + text, UnixDomainSocketAddress.of(Path.of(text)));
        if (text.startsWith("tcp://")) {
            String rest = text.substring("tcp://".length());
            int slash = rest.indexOf('/');
            if (slash >= 0) rest = rest.substring(0, slash);
            int colon = rest.lastIndexOf(':');
            String host = colon < 0 ? rest : rest.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? (tls ? 2376 : 2375) : Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid host: " + text + " (bad port)");
            }
            if (host.isEmpty()) host = "127.0.0.1";
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            return new DaemonHost(text, new InetSocketAddress(host, port));
        }
        throw new IllegalArgumentException("invalid host: " + text + " (use unix:///path or tcp://host:port)");
    }

    StandardProtocolFamily family() {
        return address instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET;
    }

    @Override
    public String toString() {
        return text;
    }
}
