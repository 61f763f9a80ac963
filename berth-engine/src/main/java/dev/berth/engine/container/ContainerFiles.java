package dev.berth.engine.container;

import dev.berth.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files Docker writes for every container and bind-mounts into it: {@code /etc/hostname}, {@code /etc/hosts}
 * and {@code /etc/resolv.conf}. They live in the container's directory, so they are the container's own and survive
 * restarts like the rest of its record.
 */
final class ContainerFiles {
    private ContainerFiles() {}

    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    static final Path HOST_HOSTS = Path.of("/etc/hosts");

    record Written(Path hostname, Path hosts, Path resolvConf) {}

    static Written write(Path dir, String hostname, String domainname, boolean hostNetwork) throws IOException {
        return write(dir, hostname, domainname, hostNetwork, null);
    }

    /** As above; {@code ip} is the container's address on its network (its name's line in /etc/hosts), or null. */
    static Written write(Path dir, String hostname, String domainname, boolean hostNetwork, String ip) throws IOException {
        return write(dir, hostname, domainname, hostNetwork, ip, null);
    }

    /**
     * As above; {@code nameserver} is the embedded name server of the container's user-defined network, which
     * then replaces the host's name servers (the host's search and options lines stay), or null.
     */
    static Written write(Path dir, String hostname, String domainname, boolean hostNetwork, String ip, String nameserver)
            throws IOException {
        Path hostnameFile = dir.resolve("hostname");
        Path hostsFile = dir.resolve("hosts");
        Path resolvFile = dir.resolve("resolv.conf");
        AtomicFiles.write(hostnameFile, (hostname + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] hosts = hostNetwork && Files.isReadable(HOST_HOSTS)
                ? Files.readAllBytes(HOST_HOSTS)
                : containerHosts(hostname, domainname, ip).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(hostsFile, hosts);
        AtomicFiles.write(resolvFile, nameserver == null ? resolvConf() : resolvConf(nameserver));
        return new Written(hostnameFile, hostsFile, resolvFile);
    }

    /** Docker's default /etc/hosts for a container without networks: loopback names and the container's own. */
    static String containerHosts(String hostname, String domainname) {
        return containerHosts(hostname, domainname, null);
    }

    /** As above, with the container's name on its network address {@code ip} instead of 127.0.1.1 when given. */
    static String containerHosts(String hostname, String domainname, String ip) {
        String self = domainname == null || domainname.isEmpty() ? hostname : hostname + "." + domainname + " " + hostname;
        return """
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::\tip6-localnet
                ff00::\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                %s\t%s
                """.formatted(ip == null ? "127.0.1.1" : ip, self);
    }

    /**
     * The host's resolv.conf, as Docker copies it. A loopback nameserver (systemd-resolved's 127.0.0.53) cannot be
     * reached from another network namespace, so such lines are dropped, as Docker does.
     */
    static byte[] resolvConf() throws IOException {
        if (!Files.isReadable(HOST_RESOLV_CONF)) return new byte[0];
        var out = new StringBuilder();
        for (String line : Files.readAllLines(HOST_RESOLV_CONF)) {
            String t = line.trim();
            if (t.startsWith("nameserver") && (t.contains(" 127.") || t.contains(" ::1"))) continue;
            out.append(line).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The host's resolv.conf with {@code nameserver} as the only name server, as Docker writes it for user networks. */
    static byte[] resolvConf(String nameserver) throws IOException {
        var out = new StringBuilder("nameserver ").append(nameserver).append('\n');
        if (Files.isReadable(HOST_RESOLV_CONF)) {
            for (String line : Files.readAllLines(HOST_RESOLV_CONF)) {
                String t = line.trim();
                if (t.startsWith("search") || t.startsWith("options")) out.append(line).append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
