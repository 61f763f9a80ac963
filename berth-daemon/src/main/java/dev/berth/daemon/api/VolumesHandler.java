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
        r.get("/volumes/{name}", ex -> ex.json(200, view(volumes.get(ex.param("name")), false)));
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
        ex.json(201, view(v, false));
    }

    private void list(Exchange ex) {
        var filters = Filters.parse(ex.query("filters"), LS_FILTERS);
        var out = new ArrayList<Map<String, Object>>();
        for (Volume v : volumes.list()) {
            if (matches(filters, v)) out.add(view(v, false));
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("Volumes", out);
        body.put("Warnings", null);
        ex.json(200, body);
    }

    private boolean matches(Filters f, Volume v) {
        if (f.has("name") && f.get("name").stream().noneMatch(n -> v.name().contains(n))) return false;
        if (f.has("driver") && f.get("driver").stream().noneMatch(d -> d.equals(v.driver()))) return false;
        if (!f.labelsMatch(v.labels())) return false;
        if (f.has("dangling")) {
            boolean dangling = switch (f.get("dangling").getFirst()) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw EngineException.invalid("invalid filter 'dangling=%s'", f.get("dangling").getFirst());
            };
            if (dangling != mounts.users(v.name()).isEmpty()) return false;
        }
        return true;
    }

    private void prune(Exchange ex) {
        var filters = Filters.parse(ex.query("filters"), PRUNE_FILTERS);
        boolean all = filters.get("all").stream().anyMatch(a -> a.equals("true") || a.equals("1"));
        var notLabels = filters.get("label!");
        var result = volumes.prune(all, v -> filters.labelsMatch(v.labels()) && notLabels.stream().noneMatch(l -> {
            int eq = l.indexOf('=');
            return eq < 0 ? v.labels().containsKey(l) : l.substring(eq + 1).equals(v.labels().get(l.substring(0, eq)));
        }));
        var body = new LinkedHashMap<String, Object>();
        body.put("VolumesDeleted", result.deleted());
        body.put("SpaceReclaimed", result.reclaimed());
        ex.json(200, body);
    }

    /** A volume as the API shows it; with {@code usage}, system df's UsageData. */
    Map<String, Object> view(Volume v, boolean usage) {
        var m = new LinkedHashMap<String, Object>();
        m.put("CreatedAt", v.createdAt());
        m.put("Driver", v.driver());
        m.put("Labels", v.labels().isEmpty() ? null : v.labels());
        m.put("Mountpoint", v.mountpoint());
        m.put("Name", v.name());
        m.put("Options", v.options().isEmpty() ? null : v.options());
        m.put("Scope", "local");
        if (usage) m.put("UsageData", Map.of("Size", volumes.size(v), "RefCount", mounts.users(v.name()).size()));
        return m;
    }

    /** system df's Volumes. */
    public List<Map<String, Object>> diskUsage() {
        return volumes.list().stream().map(v -> view(v, true)).toList();
    }

    private static Map<String, String> strings(JsonNode obj) {
        var out = new LinkedHashMap<String, String>();
        if (obj == null || !obj.isObject()) return out;
        obj.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
    }
}
