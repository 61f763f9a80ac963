package dev.berth.sys.cgroups;

import dev.berth.sys.cgroups.CgroupSample.IoEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads cgroup v1 counters, one directory per controller, as Docker's stats collector does. */
final class CgroupV1 {
    private CgroupV1() {}

    /** The kernel's "unlimited" in memory.limit_in_bytes: the largest multiple of the page size in a long. */
    private static final long UNLIMITED_THRESHOLD = Long.MAX_VALUE / 2;

    /** USER_HZ: cpuacct.stat counts in 1/100 s. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    static CgroupSample read(Map<String, Path> dirs) throws IOException {
        Path cpuacct = dirs.get("cpuacct");
        Path cpu = dirs.get("cpu");
        Path memory = dirs.get("memory");
        Path pids = dirs.get("pids");
        Path blkio = dirs.get("blkio");

        long total = 0;
        List<Long> perCpu = null;
        long kernel = 0;
        long user = 0;
        if (cpuacct != null) {
            total = Cgroups.numberOrZero(cpuacct.resolve("cpuacct.usage"));
            perCpu = perCpu(cpuacct.resolve("cpuacct.usage_percpu"));
            var stat = Cgroups.keyValues(cpuacct.resolve("cpuacct.stat"));
            kernel = stat.getOrDefault("system", 0L) * NANOS_PER_TICK;
            user = stat.getOrDefault("user", 0L) * NANOS_PER_TICK;
        }
        var throttling = cpu == null ? Map.<String, Long>of() : Cgroups.keyValues(cpu.resolve("cpu.stat"));

        long usage = 0;
        Long maxUsage = null;
        Long failcnt = null;
        long limit = 0;
        Map<String, Long> memStats = Map.of();
        if (memory != null) {
            usage = Cgroups.numberOrZero(memory.resolve("memory.usage_in_bytes"));
            maxUsage = Cgroups.numberOrZero(memory.resolve("memory.max_usage_in_bytes"));
            failcnt = Cgroups.numberOrZero(memory.resolve("memory.failcnt"));
            limit = Cgroups.numberOrZero(memory.resolve("memory.limit_in_bytes"));
            if (limit > UNLIMITED_THRESHOLD) limit = 0;
            memStats = Cgroups.keyValues(memory.resolve("memory.stat"));
        }

        long pidsCurrent = pids == null ? 0 : Cgroups.numberOrZero(pids.resolve("pids.current"));
        long pidsLimit = pids == null ? 0 : Cgroups.numberOrZero(pids.resolve("pids.max"));

        List<IoEntry> bytes = blkio == null ? List.of() : blkio(blkio.resolve("blkio.throttle.io_service_bytes_recursive"));
        List<IoEntry> ops = blkio == null ? List.of() : blkio(blkio.resolve("blkio.throttle.io_serviced_recursive"));

        return new CgroupSample(total, perCpu, kernel, user,
                throttling.getOrDefault("nr_periods", 0L), throttling.getOrDefault("nr_throttled", 0L),
                throttling.getOrDefault("throttled_time", 0L),
                usage, maxUsage, failcnt, limit, memStats, pidsCurrent, pidsLimit, bytes, ops);
    }

    private static List<Long> perCpu(Path file) throws IOException {
        try {
            var out = new ArrayList<Long>();
            for (String f : Cgroups.read(file).split("\\s+")) {
                if (!f.isEmpty()) out.add(Long.parseLong(f));
            }
            return out;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Lines {@code 8:0 Read 4096}, per device and operation; the last line, the grand total, is left out. */
    static List<IoEntry> blkio(Path file) throws IOException {
        var out = new ArrayList<IoEntry>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.strip().split("\\s+");
                if (f.length != 3 || !f[0].contains(":")) continue;
                String[] dev = f[0].split(":");
                out.add(new IoEntry(Long.parseLong(dev[0]), Long.parseLong(dev[1]), f[1], Long.parseLong(f[2])));
            }
        } catch (NoSuchFileException e) {
            // blkio not enabled
        }
        return out;
    }
}
