package dev.berth.daemon.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Listening sockets handed over by systemd socket activation (sd_listen_fds(3)): {@code LISTEN_FDS} descriptors from
 * 3 on, meant for this process when {@code LISTEN_PID} is its pid. {@code -H fd://} serves them all, {@code fd://N}
 * the one numbered N; as with dockerd, asking for sockets that were not passed is an error.
 */
final class SystemdSockets {
    static final int FIRST_FD = 3;

    private SystemdSockets() {}

    /** An inherited listening socket: its descriptor, and whether it is a unix socket (else TCP). */
    record Inherited(int fd, boolean unix) {}

    /** The sockets {@code host} ({@code fd://} or {@code fd://N}) names among those passed in {@code env}. */
    static List<Inherited> select(String host, Map<String, String> env, long pid) throws IOException {
        List<Integer> passed = passed(env, pid);
        if (passed.isEmpty()) {
            throw new IllegalStateException("no sockets found via socket activation: make sure the service was started by systemd"
                    + " (LISTEN_FDS/LISTEN_PID not set for this process)");
        }
        String n = host.substring("fd://".length());
        var fds = new ArrayList<Integer>();
        if (n.isEmpty()) {
            fds.addAll(passed);
        } else {
            int fd = Integer.parseInt(n);
            if (!passed.contains(fd)) {
                throw new IllegalStateException("too few socket activated files passed in by systemd: fd " + fd + " not among " + passed);
            }
            fds.add(fd);
        }
        var out = new ArrayList<Inherited>();
        for (int fd : fds) out.add(new Inherited(fd, isUnixSocket(fd)));
        return out;
    }

    static List<Integer> passed(Map<String, String> env, long pid) {
        try {
            if (Long.parseLong(env.getOrDefault("LISTEN_PID", "-1").strip()) != pid) return List.of();
            int n = Integer.parseInt(env.getOrDefault("LISTEN_FDS", "0").strip());
            var out = new ArrayList<Integer>();
            for (int i = 0; i < n; i++) out.add(FIRST_FD + i);
            return out;
        } catch (NumberFormatException e) {
            return List.of();
        }
    }

    /** A socket's inode ({@code socket:[N]} in /proc/self/fd) is listed in /proc/net/unix when it is a unix socket. */
    static boolean isUnixSocket(int fd) throws IOException {
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        if (!target.startsWith("socket:[")) throw new IllegalStateException("fd " + fd + " passed by systemd is not a socket: " + target);
        String inode = target.substring("socket:[".length(), target.length() - 1);
        try (var lines = Files.lines(Path.of("/proc/net/unix"))) {
            // Columns: Num RefCount Protocol Flags Type St Inode Path
            return lines.skip(1).map(l -> l.trim().split("\\s+")).anyMatch(cols -> cols.length > 6 && cols[6].equals(inode));
        }
    }
}
