package dev.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a test daemon's containers leave on the host, read from the host itself rather than from the daemon: mounts,
 * runc's tasks, conmon monitors, bridge leases and veths, cgroups and listening sockets. A container that runs owns
 * one of each; one that does not must own none.
 */
final class HostTraces {
    static final Path LEASES = Path.of("/run/berth-net/berth0");

    private final TestDaemon daemon;

    HostTraces(TestDaemon daemon) {
        this.daemon = daemon;
    }

    /** Mount points under the daemon's data root or exec root. */
    List<String> mounts() throws IOException {
        var out = new ArrayList<String>();
        String data = daemon.dataRoot() + "/", exec = daemon.execRoot() + "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ", 6);
            if (f.length > 4 && (f[4].startsWith(data) || f[4].startsWith(exec))) out.add(f[4]);
        }
        return out;
    }

    /** Where a running container's root filesystem is mounted. */
    String rootfsMount(String id) {
        return daemon.execRoot().resolve("bundles").resolve(id).resolve("rootfs").toString();
    }

    /** runc's tasks of this daemon: id to runc's status (running, created, stopped, paused). */
    Map<String, String> runcTasks() throws Exception {
        var r = Cli.run(List.of("runc", "--root", daemon.execRoot().resolve("runtime/runc").toString(), "list"), Map.of(), null);
        var out = new HashMap<String, String>();
        r.out().lines().skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f.length > 2).forEach(f -> out.put(f[0], f[2]));
        return out;
    }

    /** Container ids of the conmon monitors of this daemon (their command lines name its exec root). */
    Set<String> monitors() throws IOException {
        var out = new TreeSet<String>();
        String exec = daemon.execRoot().toString();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                if (!p.getFileName().toString().matches("\\d+")) continue;
                List<String> argv;
                try {
                    argv = List.of(new String(Files.readAllBytes(p.resolve("cmdline"))).split("\0"));
                } catch (IOException gone) {
                    continue;
                }
                if (argv.isEmpty() || !argv.get(0).endsWith("conmon") || argv.stream().noneMatch(a -> a.contains(exec))) continue;
                int c = argv.indexOf("-c");
                if (c >= 0 && c + 1 < argv.size()) out.add(argv.get(c + 1));
            }
        }
        return out;
    }

    /** Bridge leases this daemon holds: container id to address. */
    Map<String, String> leases() throws IOException {
        var out = new HashMap<String, String>();
        String owner = daemon.dataRoot().toAbsolutePath().normalize().toString();
        List<Path> files;
        try (var s = Files.list(LEASES)) {
            files = s.toList();
        } catch (NoSuchFileException e) {
            return out;
        }
        for (Path f : files) {
            try {
                var lines = Files.readAllLines(f);
                if (lines.size() >= 2 && lines.get(0).equals(owner)) out.put(lines.get(1), f.getFileName().toString());
            } catch (NoSuchFileException released) {
                // released meanwhile
            }
        }
        return out;
    }

    /** Whether the host end of the container's veth pair exists. */
    static boolean veth(String links, String id) {
        return links.contains("vb" + id.substring(0, 11));
    }

    /** The host's network links as {@code ip -br link} lists them, for {@link #veth}. */
    static String links() throws Exception {
        return Cli.run(List.of("ip", "-br", "link"), Map.of(), null).out();
    }

    /** The container's cgroup directories (runc creates them under {@code /berth/<id>}, v1 or v2). */
    static List<Path> cgroups(String id) throws IOException {
        var out = new ArrayList<Path>();
        Path root = Path.of("/sys/fs/cgroup");
        if (Files.isDirectory(root.resolve("berth").resolve(id))) out.add(root.resolve("berth").resolve(id));
        try (var controllers = Files.list(root)) {
            for (Path c : controllers.toList()) {
                Path p = c.resolve("berth").resolve(id);
                if (Files.isDirectory(p)) out.add(p);
            }
        }
        return out;
    }

    /** How many TCP sockets the daemon process listens on (its published ports' proxies). */
    int tcpListeners() throws Exception {
        String pid = "pid=" + daemon.process().pid() + ",";
        var r = Cli.run(List.of("ss", "-Hltnp"), Map.of(), null);
        return (int) r.out().lines().filter(l -> l.contains(pid)).count();
    }
}
