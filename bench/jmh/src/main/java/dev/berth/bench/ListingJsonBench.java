package dev.berth.bench;

import dev.berth.api.ApiJson;
import dev.berth.api.ContainerSummary;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.core.type.TypeReference;

/**
 * The JSON of a large {@code GET /containers/json} answer with the daemon's mapper: writing it (berthd) and reading
 * it back into the wire records (what a Java client such as berth's CLI does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ListingJsonBench {
    private static final TypeReference<List<ContainerSummary>> LISTING = new TypeReference<>() {};

    @Param({"1000"})
    int containers;

    List<ContainerSummary> listing;
    byte[] json;

    @Setup
    public void setup() {
        listing = Listings.containers(containers);
        json = ApiJson.MAPPER.writeValueAsBytes(listing);
    }

    @Benchmark
    public byte[] serialize() {
        return ApiJson.MAPPER.writeValueAsBytes(listing);
    }

    @Benchmark
    public List<ContainerSummary> deserialize() {
        return ApiJson.MAPPER.readValue(json, LISTING);
    }
}
