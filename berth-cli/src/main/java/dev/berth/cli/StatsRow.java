package dev.berth.cli;

import dev.berth.format.TemplateFields;
import dev.berth.format.Units;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** One row of {@code stats}: docker/cli's computations over a stats sample (cgroup v1 and v2 field names alike). */
record StatsRow(String container, JsonNode s, boolean trunc) implements TemplateFields {
    static final String DEFAULT_TABLE = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    static final Map<String, String> HEADERS = Map.of("ID", "CONTAINER ID", "Name", "NAME", "CPUPerc", "CPU %",
            "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O", "BlockIO", "BLOCK I/O",
            "PIDs", "PIDS", "Container", "CONTAINER");
    private static final Set<String> FIELDS = new TreeSet<>(List.of("BlockIO", "CPUPerc", "Container", "ID", "MemPerc",
            "MemUsage", "Name", "NetIO", "PIDs"));

    @Override
    public Object field(String name) {
        return switch (name) {
            case "Container" -> container;
            case "ID" -> trunc ? s.path("id").asString().substring(0, 12) : s.path("id").asString();
            case "Name" -> s.path("name").asString().replaceFirst("^/", "");
            case "CPUPerc" -> String.format("%.2f%%", cpuPercent());
            case "MemUsage" -> Units.bytesSize(memoryUsed()) + " / " + Units.bytesSize(s.path("memory_stats").path("limit").asLong());
            case "MemPerc" -> String.format("%.2f%%", memoryPercent());
            case "NetIO" -> io(s.path("networks"), "rx_bytes", "tx_bytes");
            case "BlockIO" -> blockIo();
            case "PIDs" -> Long.toString(s.path("pids_stats").path("current").asLong());
            default -> NO_SUCH_FIELD;
        };
    }

    @Override
    public Set<String> fieldNames() {
        return FIELDS;
    }

    @Override
    public String typeName() {
        return "*formatter.StatsEntry";
    }

    /** (container CPU time delta / system CPU time delta) x CPUs x 100, between this sample and the one before. */
    double cpuPercent() {
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double container = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double system = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        long cpus = cpu.path("online_cpus").asLong(0);
        if (cpus == 0) cpus = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
        return system > 0 && container > 0 ? container / system * cpus * 100.0 : 0.0;
    }

    /** Usage without the page cache that can be dropped: total_inactive_file on cgroup v1, inactive_file on v2. */
    long memoryUsed() {
        JsonNode m = s.path("memory_stats");
        long usage = m.path("usage").asLong();
        JsonNode st = m.path("stats");
        long cache = st.has("total_inactive_file") ? st.path("total_inactive_file").asLong() : st.path("inactive_file").asLong();
        return cache < usage ? usage - cache : usage;
    }

    double memoryPercent() {
        long limit = s.path("memory_stats").path("limit").asLong();
        return limit > 0 ? memoryUsed() * 100.0 / limit : 0.0;
    }

    private static String io(JsonNode networks, String in, String out) {
        long rx = 0;
        long tx = 0;
        for (JsonNode n : networks) {
            rx += n.path(in).asLong();
            tx += n.path(out).asLong();
        }
        return Units.humanSize(rx, 3) + " / " + Units.humanSize(tx, 3);
    }

    private String blockIo() {
        long read = 0;
        long write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asString().toLowerCase(java.util.Locale.ROOT);
            if (op.equals("read")) read += e.path("value").asLong();
            if (op.equals("write")) write += e.path("value").asLong();
        }
        return Units.humanSize(read, 3) + " / " + Units.humanSize(write, 3);
    }
}
