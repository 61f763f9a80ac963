package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeStore;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code /volumes} endpoints over the local driver. */
public final class VolumesHandler {
    private static final Set<String> LS_FILTERS = Set.of("name", "label", "dangling", "driver");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");

    private final VolumeStore volumes;
    private final ContainerMounts mounts;

    public VolumesHandler(VolumeStore volumes, ContainerMounts mounts) {
        this.volumes = volumes;
        this.mounts = mounts;
    }

    public void register(Router r) {
        r.post("/volumes/create", this::create);
        r.get("/volumes", this::list);
        r.post("/volumes/prune", this::prune);
        r.get("/volumes/{name}", ex -> ex.json(200, view(volumes.get(ex.param("name")))));
        r.delete("/volumes/{name}", ex -> {
            volumes.remove(ex.param("name"), ex.queryBool("force"));
            ex.status(204);
        });
    }

    private void create(Exchange ex) throws IOException {
        JsonNode body = ex.readJson(JsonNode.class);
        String name = body == null ? "" : body.path("Name").asString("");
        String driver = body == null ? "local" : body.path("Driver").asString("local");
        Volume v = volumes.create(name, driver.isEmpty() ? "local" : driver,
                strings(body == null ? null : body.path("DriverOpts")), strings(body == null ? null : body.path("Labels")));
        ex.json(201, view(v));
    }

    private void list(Exchange ex) {
        var filters = Filters.parse(ex.query("filters"), LS_FILTERS);
        var out = new ArrayList<Map<String, Object>>();
        Map<String, Integer> refs = filters.has("dangling") ? mounts.refCounts() : Map.of();
        for (Volume v : volumes.list()) {
            if (matches(filters, v, refs)) out.add(view(v));
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("Volumes", out);
        body.put("Warnings", null);
        ex.json(200, body);
    }

    /** @param refs volume name to its number of users ({@link ContainerMounts#refCounts}), read for {@code dangling} */
    private boolean matches(Filters f, Volume v, Map<String, Integer> refs) {
        if (f.has("name") && f.get("name").stream().noneMatch(n -> v.name().contains(n))) return false;
        if (f.has("driver") && f.get("driver").stream().noneMatch(d -> d.equals(v.driver()))) return false;
        if (!f.labelsMatch(v.labels())) return false;
        if (f.has("dangling")) {
            boolean dangling = switch (f.get("dangling").getFirst()) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw EngineException.invalid("invalid filter 'dangling=%s'", f.get("dangling").getFirst());
            };
            if (dangling != (refs.getOrDefault(v.name(), 0) == 0)) return false;
        }
        return true;
    }

    private void prune(Exchange ex) {
        var filters = Filters.parse(ex.query("filters"), PRUNE_FILTERS);
        boolean all = filters.get("all").stream().anyMatch(a -> a.equals("true") || a.equals("1"));
        var result = volumes.prune(all, v -> filters.labelsMatch(v.labels()) && filters.notLabelsMatch(v.labels()));
        var body = new LinkedHashMap<String, Object>();
        body.put("VolumesDeleted", result.deleted());
        body.put("SpaceReclaimed", result.reclaimed());
        ex.json(200, body);
    }

    /** A volume as the API shows it. */
    Map<String, Object> view(Volume v) {
        var m = new LinkedHashMap<String, Object>();
        m.put("CreatedAt", v.createdAt());
        m.put("Driver", v.driver());
        m.put("Labels", v.labels().isEmpty() ? null : v.labels());
        m.put("Mountpoint", v.mountpoint());
        m.put("Name", v.name());
        m.put("Options", v.options().isEmpty() ? null : v.options());
        m.put("Scope", "local");
        return m;
    }

    /** system df's Volumes, each with its UsageData. */
    public List<Map<String, Object>> diskUsage() {
        var refs = mounts.refCounts();
        return volumes.list().stream().map(v -> {
            var m = view(v);
            m.put("UsageData", Map.of("Size", volumes.size(v), "RefCount", refs.getOrDefault(v.name(), 0)));
            return m;
        }).toList();
    }

    private static Map<String, String> strings(JsonNode obj) {
        var out = new LinkedHashMap<String, String>();
        if (obj == null || !obj.isObject()) return out;
        obj.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
    }
}
