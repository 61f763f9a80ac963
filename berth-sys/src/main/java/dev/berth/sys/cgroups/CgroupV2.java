package dev.berth.sys.cgroups;

import dev.berth.sys.cgroups.CgroupSample.IoEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads cgroup v2 counters from one cgroup directory, as Docker's stats collector does on a v2 host. */
final class CgroupV2 {
    private CgroupV2() {}

    static CgroupSample read(Path dir) throws IOException {
        var cpu = Cgroups.keyValues(dir.resolve("cpu.stat"));
        var memStats = Cgroups.keyValues(dir.resolve("memory.stat"));
        long usage = Cgroups.numberOrZero(dir.resolve("memory.current"));
        long limit = Cgroups.numberOrZero(dir.resolve("memory.max"));
        var events = Cgroups.keyValues(dir.resolve("memory.events"));
        List<IoEntry> bytes = new ArrayList<>();
        List<IoEntry> ops = new ArrayList<>();
        io(dir.resolve("io.stat"), bytes, ops);
        return new CgroupSample(
                cpu.getOrDefault("usage_usec", 0L) * 1000, null,
                cpu.getOrDefault("system_usec", 0L) * 1000, cpu.getOrDefault("user_usec", 0L) * 1000,
                cpu.getOrDefault("nr_periods", 0L), cpu.getOrDefault("nr_throttled", 0L),
                cpu.getOrDefault("throttled_usec", 0L) * 1000,
                usage, null, events.containsKey("max") ? events.get("max") : null, limit, memStats,
                Cgroups.numberOrZero(dir.resolve("pids.current")), Cgroups.numberOrZero(dir.resolve("pids.max")),
                bytes, ops);
    }

    /** Lines {@code 8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0}, as read/write entries per device. */
    static void io(Path file, List<IoEntry> bytes, List<IoEntry> ops) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return;
        }
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) continue;
            String[] dev = f[0].split(":");
            long major = Long.parseLong(dev[0]);
            long minor = Long.parseLong(dev[1]);
            for (int i = 1; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                if (eq < 0) continue;
                long value = Long.parseLong(f[i].substring(eq + 1));
                switch (f[i].substring(0, eq)) {
                    case "rbytes" -> bytes.add(new IoEntry(major, minor, "read", value));
                    case "wbytes" -> bytes.add(new IoEntry(major, minor, "write", value));
                    case "rios" -> ops.add(new IoEntry(major, minor, "read", value));
                    case "wios" -> ops.add(new IoEntry(major, minor, "write", value));
                    default -> { }
                }
            }
        }
    }
}
