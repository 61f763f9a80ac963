package dev.berth.daemon.api;

import dev.berth.common.HumanTime;
import dev.berth.engine.container.StatsReading;
import dev.berth.sys.cgroups.CgroupSample;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stats sample as the Engine API's {@code ContainerStatsResponse} (snake_case names, as Docker writes them). A
 * reading without cgroup counters (a container that does not run) gives Docker's all-zero sample.
 */
final class StatsJson {
    private StatsJson() {}

    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    static Map<String, Object> of(StatsReading now, StatsReading before) {
        var out = new LinkedHashMap<String, Object>();
        out.put("name", "/" + now.name());
        out.put("id", now.id());
        out.put("read", time(now.read()));
        out.put("preread", before == null ? ZERO_TIME : time(before.read()));
        CgroupSample s = now.cgroup();
        var pids = new LinkedHashMap<String, Object>();
        if (s != null) {
            pids.put("current", s.pidsCurrent());
            if (s.pidsLimit() > 0) pids.put("limit", s.pidsLimit());
        }
        out.put("pids_stats", pids);
        out.put("blkio_stats", blkio(s));
        out.put("num_procs", 0);
        out.put("storage_stats", Map.of());
        out.put("cpu_stats", cpu(now));
        out.put("precpu_stats", before == null ? cpu(null) : cpu(before));
        out.put("memory_stats", memory(now));
        if (s != null && now.networks() != null) {
            var networks = new LinkedHashMap<String, Object>();
            now.networks().forEach((name, n) -> {
                var m = new LinkedHashMap<String, Object>();
                m.put("rx_bytes", n.rxBytes());
                m.put("rx_packets", n.rxPackets());
                m.put("rx_errors", n.rxErrors());
                m.put("rx_dropped", n.rxDropped());
                m.put("tx_bytes", n.txBytes());
                m.put("tx_packets", n.txPackets());
                m.put("tx_errors", n.txErrors());
                m.put("tx_dropped", n.txDropped());
                networks.put(name, m);
            });
            if (!networks.isEmpty()) out.put("networks", networks);
        }
        return out;
    }

    private static Map<String, Object> cpu(StatsReading r) {
        var usage = new LinkedHashMap<String, Object>();
        var cpu = new LinkedHashMap<String, Object>();
        var throttling = new LinkedHashMap<String, Object>();
        CgroupSample s = r == null ? null : r.cgroup();
        usage.put("total_usage", s == null ? 0 : s.cpuTotal());
        if (s != null && s.cpuPerCpu() != null) usage.put("percpu_usage", s.cpuPerCpu());
        usage.put("usage_in_kernelmode", s == null ? 0 : s.cpuKernel());
        usage.put("usage_in_usermode", s == null ? 0 : s.cpuUser());
        cpu.put("cpu_usage", usage);
        if (s != null) {
            cpu.put("system_cpu_usage", r.systemCpuUsage());
            cpu.put("online_cpus", r.onlineCpus());
        }
        throttling.put("periods", s == null ? 0 : s.cpuPeriods());
        throttling.put("throttled_periods", s == null ? 0 : s.cpuThrottledPeriods());
        throttling.put("throttled_time", s == null ? 0 : s.cpuThrottledTime());
        cpu.put("throttling_data", throttling);
        return cpu;
    }

    private static Map<String, Object> memory(StatsReading r) {
        var m = new LinkedHashMap<String, Object>();
        CgroupSample s = r.cgroup();
        if (s == null) return m;
        m.put("usage", s.memoryUsage());
        if (s.memoryMaxUsage() != null) m.put("max_usage", s.memoryMaxUsage());
        m.put("stats", s.memoryStats());
        if (s.memoryFailcnt() != null && s.memoryFailcnt() > 0) m.put("failcnt", s.memoryFailcnt());
        long host = r.hostMemory();
        m.put("limit", s.memoryLimit() == 0 || (host > 0 && s.memoryLimit() > host) ? host : s.memoryLimit());
        return m;
    }

    private static Map<String, Object> blkio(CgroupSample s) {
        var b = new LinkedHashMap<String, Object>();
        b.put("io_service_bytes_recursive", s == null ? null : entries(s.ioBytes()));
        b.put("io_serviced_recursive", s == null ? null : entries(s.ioOps()));
        b.put("io_queue_service_recursive", null);
        b.put("io_service_time_recursive", null);
        b.put("io_wait_time_recursive", null);
        b.put("io_merged_recursive", null);
        b.put("io_time_recursive", null);
        b.put("sectors_recursive", null);
        return b;
    }

    private static List<Map<String, Object>> entries(List<CgroupSample.IoEntry> entries) {
        return entries.stream().map(e -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("major", e.major());
            m.put("minor", e.minor());
            m.put("op", e.op());
            m.put("value", e.value());
            return (Map<String, Object>) m;
        }).toList();
    }

    private static String time(Instant t) {
        return t == null ? ZERO_TIME : HumanTime.rfc3339(t);
    }
}
