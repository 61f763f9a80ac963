package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.common.HumanTime;
import dev.berth.engine.container.Container;
import dev.berth.engine.health.HealthMonitor;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Health checks on the API: {@code State.Health} and {@code Config.Healthcheck} in inspect, the health in the list's
 * {@code Status} ("Up 2 minutes (healthy)"), and the {@code health=} filter of ps.
 */
public final class ContainerHealth {
    private final HealthMonitor monitor;

    public ContainerHealth(HealthMonitor monitor) {
        this.monitor = monitor;
    }

    /** ps's {@code health=} words: starting, healthy, unhealthy, or none for a container without a check. */
    static String filterWord(ContainerHealth health, Container c) {
        if (health == null) return "none";
        return health.monitor.health(c.id()).map(HealthMonitor.Health::status).orElse("none");
    }

    void decorateSummary(String id, ObjectNode row) {
        var h = monitor.health(id);
        String status = row.path("Status").asString("");
        if (h.isEmpty() || !status.startsWith("Up ") || status.endsWith("(Paused)")) return;
        String word = h.get().status();
        row.put("Status", status + (word.equals(HealthMonitor.STARTING) ? " (health: starting)" : " (" + word + ")"));
    }

    static void decorateInspect(ContainerHealth health, Container c, ObjectNode tree) {
        var check = c.config().healthcheck();
        if (check != null && tree.path("Config").isObject()) {
            ((ObjectNode) tree.path("Config")).set("Healthcheck", ApiJson.MAPPER.valueToTree(check.toJson()));
        }
        if (health == null || !tree.path("State").isObject()) return;
        health.monitor.health(c.id()).ifPresent(h -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("Status", h.status());
            m.put("FailingStreak", h.failingStreak());
            m.put("Log", h.log().stream().map(r -> (Map<String, Object>) new LinkedHashMap<String, Object>(Map.of(
                    "Start", HumanTime.rfc3339(r.start()), "End", HumanTime.rfc3339(r.end()),
                    "ExitCode", r.exitCode(), "Output", r.output()))).toList());
            ((ObjectNode) tree.path("State")).set("Health", ApiJson.MAPPER.valueToTree(m));
        });
    }
}
