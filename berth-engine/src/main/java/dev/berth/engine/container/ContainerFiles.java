package dev.berth.engine.container;

import dev.berth.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        return write(dir, hostname, domainname, hostNetwork, ip, nameserver, ContainerSpec.NameResolution.NONE, null);
    }

    /**
     * As above, with the container's {@code --dns}, {@code --dns-search}, {@code --dns-option} and {@code --add-host}
     * settings; {@code hostGateway} is the address {@code host-gateway} stands for (the default bridge's gateway).
     */
    static Written write(Path dir, String hostname, String domainname, boolean hostNetwork, String ip, String nameserver,
                         ContainerSpec.NameResolution names, String hostGateway) throws IOException {
        Path hostnameFile = dir.resolve("hostname");
        Path hostsFile = dir.resolve("hosts");
        Path resolvFile = dir.resolve("resolv.conf");
        AtomicFiles.write(hostnameFile, (hostname + "\n").getBytes(StandardCharsets.UTF_8));
        var hosts = new StringBuilder(hostNetwork && Files.isReadable(HOST_HOSTS)
                ? Files.readString(HOST_HOSTS) : containerHosts(hostname, domainname, ip));
        for (String entry : names.extraHosts()) {
            int colon = entry.indexOf(':');
            String address = entry.substring(colon + 1);
            if (address.equals("host-gateway")) address = hostGateway == null ? "127.0.0.1" : hostGateway;
            hosts.append(address).append('\t').append(entry, 0, colon).append('\n');
        }
        AtomicFiles.write(hostsFile, hosts.toString().getBytes(StandardCharsets.UTF_8));
        byte[] resolv = nameserver == null ? resolvConf() : resolvConf(nameserver);
        AtomicFiles.write(resolvFile, withSettings(resolv, nameserver == null ? names.dns() : List.of(), names));
        return new Written(hostnameFile, hostsFile, resolvFile);
    }

    /**
     * Docker's rules: {@code --dns} replaces the name servers (on a user-defined network the embedded server stays
     * and answers), {@code --dns-search} the search line ({@code .} for none), {@code --dns-option} the options line.
     */
    static byte[] withSettings(byte[] resolv, List<String> servers, ContainerSpec.NameResolution names) {
        if (servers.isEmpty() && names.dnsSearch().isEmpty() && names.dnsOptions().isEmpty()) return resolv;
        var out = new StringBuilder();
        for (String server : servers) out.append("nameserver ").append(server).append('\n');
        if (!names.dnsSearch().isEmpty()) {
            var domains = names.dnsSearch().stream().filter(d -> !d.equals(".")).toList();
            if (!domains.isEmpty()) out.append("search ").append(String.join(" ", domains)).append('\n');
        }
        if (!names.dnsOptions().isEmpty()) out.append("options ").append(String.join(" ", names.dnsOptions())).append('\n');
        for (String line : new String(resolv, StandardCharsets.UTF_8).split("\n")) {
            String t = line.trim();
            if (t.isEmpty()) continue;
            if (t.startsWith("nameserver") && !servers.isEmpty()) continue;
            if (t.startsWith("search") && !names.dnsSearch().isEmpty()) continue;
            if (t.startsWith("options") && !names.dnsOptions().isEmpty()) continue;
            out.append(line).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
