package dev.berth.engine.container;

import dev.berth.sys.cgroups.CgroupSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of a container's resource use, taken at {@code read}: its cgroup counters, the host's CPU time at the
 * same moment (for CPU %), and its network interfaces. {@code cgroup} is null for a container that does not run.
 *
 * @param hostMemory the limit to show when the container has none of its own
 * @param networks   interface name to counters, without loopback; null when the container has no network
 *                   namespace of its own (host networking), as Docker leaves them out then
 */
public record StatsReading(
        String id,
        String name,
        Instant read,
        CgroupSample cgroup,
        long systemCpuUsage,
        int onlineCpus,
        long hostMemory,
        Map<String, NetDev> networks) {

    /** The counters of one interface in {@code /proc/<pid>/net/dev}. */
    public record NetDev(long rxBytes, long rxPackets, long rxErrors, long rxDropped,
                         long txBytes, long txPackets, long txErrors, long txDropped) {}

    /** Interfaces of {@code /proc/<pid>/net/dev}, the container's own network namespace as its init sees it. */
    static Map<String, NetDev> netDev(Path file) throws IOException {
        var out = new LinkedHashMap<String, NetDev>();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return out;
        }
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).strip();
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (name.equals("lo") || f.length < 16) continue;
            out.put(name, new NetDev(n(f[0]), n(f[1]), n(f[2]), n(f[3]), n(f[8]), n(f[9]), n(f[10]), n(f[11])));
        }
        return out;
    }

    private static long n(String s) {
        return Long.parseLong(s);
    }
}
