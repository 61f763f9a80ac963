package dev.berth.bench;

import dev.berth.format.Formatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code berth ps} output for a listing: Docker's default table (tab-aligned, so every row is measured before
 * any is written), a custom template, and {@code --format json}. Each invocation parses the format too, as the CLI
 * does once per run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FormatBench {
    static final String PS_TABLE = "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}";
    static final Map<String, String> HEADERS = Map.of("ID", "CONTAINER ID", "Image", "IMAGE", "Command", "COMMAND",
            "RunningFor", "CREATED", "Status", "STATUS", "Ports", "PORTS", "Names", "NAMES", "State", "STATE");

    @Param({"1000"})
    int rows;

    List<PsRow> items;

    @Setup
    public void setup() {
        items = Listings.containers(rows).stream().map(PsRow::new).toList();
    }

    @Benchmark
    public String defaultTable() {
        return new Formatter(null, PS_TABLE, HEADERS).format(items);
    }

    @Benchmark
    public String customTemplate() {
        return new Formatter("{{.ID}} {{.Names}} {{.Status}} {{.Label \"tier\"}}", PS_TABLE, HEADERS).format(items);
    }

    @Benchmark
    public String json() {
        return new Formatter("json", PS_TABLE, HEADERS).format(items);
    }
}
