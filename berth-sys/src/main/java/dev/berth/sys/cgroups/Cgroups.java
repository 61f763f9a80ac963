package dev.berth.sys.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's cgroups, found through {@code /proc/<pid>/cgroup}, and their counters. On a v1 (or hybrid) host every
 * controller has its own hierarchy under {@code /sys/fs/cgroup/<controller>}; on a v2 host there is one, at
 * {@code /sys/fs/cgroup}, recognised by its {@code cgroup.controllers} file.
 */
public final class Cgroups {
    private final Path root;
    private final Path proc;

    public Cgroups(Path root, Path proc) {
        this.root = root;
        this.proc = proc;
    }

    public static Cgroups host() {
        return new Cgroups(Path.of("/sys/fs/cgroup"), Path.of("/proc"));
    }

    public boolean v2() {
        return Files.exists(root.resolve("cgroup.controllers"));
    }

    /** The counters of the cgroup {@code pid} is in. */
    public CgroupSample sample(int pid) throws IOException {
        var paths = paths(pid);
        if (v2()) return CgroupV2.read(root.resolve(relative(paths.get(""))));
        var dirs = new HashMap<String, Path>();
        for (var e : paths.entrySet()) {
            for (String controller : e.getKey().split(",")) {
                if (!controller.isEmpty()) dirs.put(controller, root.resolve(controller).resolve(relative(e.getValue())));
            }
        }
        return CgroupV1.read(dirs);
    }

    /** The host pids of every process in {@code pid}'s cgroup (its pids or memory cgroup on v1). */
    public List<Integer> procs(int pid) throws IOException {
        var paths = paths(pid);
        Path dir;
        if (v2()) {
            dir = root.resolve(relative(paths.get("")));
        } else {
            String controller = paths.containsKey("pids") ? "pids" : "memory";
            dir = root.resolve(controller).resolve(relative(paths.get(key(paths, controller))));
        }
        var pids = new ArrayList<Integer>();
        for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
            if (!line.isBlank()) pids.add(Integer.parseInt(line.strip()));
        }
        return pids;
    }

    /** Controllers (comma-joined as the kernel lists them; "" for the v2 hierarchy) to the cgroup's path. */
    Map<String, String> paths(int pid) throws IOException {
        var out = new LinkedHashMap<String, String>();
        for (String line : Files.readAllLines(proc.resolve(Integer.toString(pid)).resolve("cgroup"), StandardCharsets.UTF_8)) {
            String[] f = line.split(":", 3);
            if (f.length == 3) out.put(f[1], f[2]);
        }
        return out;
    }

    private static String key(Map<String, String> paths, String controller) {
        for (String k : paths.keySet()) {
            if (List.of(k.split(",")).contains(controller)) return k;
        }
        throw new UncheckedIOException(new NoSuchFileException("no " + controller + " cgroup"));
    }

    private static String relative(String path) {
        if (path == null) throw new UncheckedIOException(new NoSuchFileException("no cgroup v2 path"));
        return path.startsWith("/") ? path.substring(1) : path;
    }

    // ---- small file readers shared by the v1 and v2 parsers ----

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }

    static long number(Path file) throws IOException {
        String s = read(file);
        return s.equals("max") ? 0 : Long.parseLong(s);
    }

    /** A number, or 0 when the file does not exist (a controller that is not enabled). */
    static long numberOrZero(Path file) throws IOException {
        try {
            return number(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** {@code key value} lines, as in memory.stat and cpu.stat; missing file gives an empty map. */
    static Map<String, Long> keyValues(Path file) throws IOException {
        var out = new LinkedHashMap<String, Long>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2) {
                    try {
                        out.put(f[0], Long.parseLong(f[1]));
                    } catch (NumberFormatException e) {
                        // not a counter
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // controller not enabled
        }
        return out;
    }
}
