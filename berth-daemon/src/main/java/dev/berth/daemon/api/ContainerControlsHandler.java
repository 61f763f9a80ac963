package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.api.ContainerUpdateRequest;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.ContainerControls;
import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.StatsReading;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /containers/{id}} endpoints for a running container: pause, unpause, top, stats and update. */
public final class ContainerControlsHandler {
    /** How often a stats stream samples, and how far apart the two readings of a single sample are (Docker: 1 s). */
    private static final long STATS_INTERVAL_MS = 1000;

    private final ContainerControls controls;

    public ContainerControlsHandler(ContainerControls controls) {
        this.controls = controls;
    }

    public void register(Router r) {
        r.post("/containers/{id}/pause", ex -> { controls.pause(ex.param("id")); ex.status(204); });
        r.post("/containers/{id}/unpause", ex -> { controls.unpause(ex.param("id")); ex.status(204); });
        r.get("/containers/{id}/top", this::top);
        r.get("/containers/{id}/stats", this::stats);
        r.post("/containers/{id}/update", this::update);
    }

    private void top(Exchange ex) {
        var table = controls.top(ex.param("id"), ex.query("ps_args"));
        var body = new LinkedHashMap<String, Object>();
        body.put("Titles", table.titles());
        body.put("Processes", table.processes());
        ex.json(200, body);
    }

    private void update(Exchange ex) throws IOException {
        ContainerUpdateRequest req = ex.readJson(ContainerUpdateRequest.class);
        if (req == null) throw EngineException.invalid("update request body is empty");
        var policy = req.restartPolicy() == null || req.restartPolicy().name() == null ? null
                : new ContainerSpec.RestartPolicy(req.restartPolicy().name(),
                        req.restartPolicy().maximumRetryCount() == null ? 0 : req.restartPolicy().maximumRetryCount());
        var warnings = controls.update(ex.param("id"), ContainerViews.limits(req), policy);
        ex.json(200, Map.of("Warnings", warnings));
    }

    /**
     * {@code stream} (the default) sends a sample a second, each with the one before as {@code precpu_stats};
     * {@code stream=false} sends one sample whose predecessor was read a second earlier, unless {@code one-shot}.
     */
    private void stats(Exchange ex) throws Exception {
        boolean stream = ex.query("stream") == null || ex.queryBool("stream");
        boolean oneShot = ex.queryBool("one-shot");
        if (oneShot && stream) throw EngineException.invalid("cannot have stream=true and one-shot=true");
        String id = ex.param("id");
        StatsReading previous = null;
        StatsReading current = controls.stats(id);
        if (!stream && !oneShot && current.cgroup() != null) {
            Thread.sleep(STATS_INTERVAL_MS);
            previous = current;
            current = controls.stats(id);
        }
        try (OutputStream out = ex.stream(200, "application/json")) {
            while (true) {
                out.write(ApiJson.MAPPER.writeValueAsBytes(StatsJson.of(current, previous)));
                out.write('\n');
                if (!stream || current.cgroup() == null || ex.clientGone()) return;
                Thread.sleep(STATS_INTERVAL_MS);
                previous = current;
                current = controls.stats(id);
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
