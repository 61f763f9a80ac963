package dev.berth.bench;

import dev.berth.api.ContainerSummary;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** A reproducible container listing shaped like what berthd sends for {@code GET /containers/json?all=1}. */
final class Listings {
    private Listings() {}

    static List<ContainerSummary> containers(int count) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(42);
        var hex = HexFormat.of();
        var rows = new ArrayList<ContainerSummary>(count);
        for (int i = 0; i < count; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            boolean running = i % 3 == 0;
            rows.add(new ContainerSummary(
                    hex.formatHex(id),
                    List.of("/bench-" + i),
                    "busybox",
                    "sha256:d6518bfdea8a750bdfc86ef89daeb14c6e2b3c5f51b6e353cafa8615f5e3fbf0",
                    running ? "sleep 3600" : "sh -c 'echo hello; exit 3'",
                    1_764_000_000L + i,
                    List.of(),
                    null,
                    null,
                    i % 10 == 0 ? Map.of("com.example.team", "storage", "tier", "batch") : Map.of(),
                    running ? "running" : "exited",
                    running ? "Up 2 hours" : "Exited (3) 5 minutes ago",
                    Map.of("NetworkMode", "none"),
                    Map.of("Networks", Map.of()),
                    List.of()));
        }
        return rows;
    }
}
