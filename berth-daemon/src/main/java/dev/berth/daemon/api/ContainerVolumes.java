package dev.berth.daemon.api;

import dev.berth.engine.volume.ContainerMounts;
import dev.berth.engine.volume.MountPoint;
import dev.berth.engine.volume.MountRequests;
import dev.berth.image.ImageService;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The containers endpoints' side of volumes: a create request's mounts are checked before the container exists and
 * recorded once it does; inspect and ps show them; {@code rm -v} drops anonymous volumes.
 */
public final class ContainerVolumes {
    private final ContainerMounts mounts;
    private final ImageService images;
    /** A container's id from its name or id (404 if there is none). */
    private final java.util.function.Function<String, String> containerIds;

    public ContainerVolumes(ContainerMounts mounts, ImageService images, java.util.function.Function<String, String> containerIds) {
        this.mounts = mounts;
        this.images = images;
        this.containerIds = containerIds;
    }

    /** A create request's mounts, checked, and its own words for inspect. */
    record Checked(List<MountPoint> points, Map<String, Object> words) {}

    /** Parses and checks Binds, Mounts, Volumes and the image's VOLUMEs; creates nothing. */
    Checked check(JsonNode request) {
        var words = new java.util.LinkedHashMap<String, Object>();
        for (String k : List.of("Binds", "Mounts", "VolumesFrom")) {
            JsonNode v = request.path("HostConfig").path(k);
            if (v.isArray() && !v.isEmpty()) words.put(k, dev.berth.api.ApiJson.MAPPER.treeToValue(v, Object.class));
        }
        if (request.path("Volumes").isObject() && !request.path("Volumes").isEmpty()) {
            words.put("Volumes", dev.berth.api.ApiJson.MAPPER.treeToValue(request.path("Volumes"), Object.class));
        }
        return new Checked(points(request), words);
    }

    private List<MountPoint> points(JsonNode request) {
        List<String> imageVolumes = List.of();
        String image = request.path("Image").asString("");
        if (!image.isEmpty()) {
            try {
                var cfg = images.resolve(image).config();
                if (cfg != null && cfg.volumes() != null) imageVolumes = cfg.volumes();
            } catch (RuntimeException e) {
                // the create reports the missing image itself
            }
        }
        var inherited = new java.util.ArrayList<MountPoint>();
        for (var from : request.path("HostConfig").path("VolumesFrom")) {
            String spec = from.asString();
            int colon = spec.lastIndexOf(':');
            String name = colon < 0 ? spec : spec.substring(0, colon);
            String mode = colon < 0 ? "" : spec.substring(colon + 1);
            for (MountPoint p : mounts.plan(containerIds.apply(name)).mounts()) {
                if (!p.type().equals("tmpfs")) inherited.add(MountRequests.inherit(p, mode));
            }
        }
        return MountRequests.parse(request, imageVolumes, inherited);
    }

    void attach(String containerId, Checked checked, boolean autoRemove) {
        mounts.attach(containerId, checked.points(), autoRemove, checked.words());
    }

    /** A create that failed after {@link #attach}: its mounts go, and the anonymous volumes made for it. */
    void discard(String containerId) {
        mounts.discard(containerId);
    }

    /** Inspect as dockerd shows it: Mounts, and HostConfig's Binds, Mounts, VolumesFrom and Config's Volumes as asked. */
    void decorate(String containerId, tools.jackson.databind.node.ObjectNode tree) {
        tree.set("Mounts", dev.berth.api.ApiJson.MAPPER.valueToTree(inspect(containerId)));
        var words = mounts.plan(containerId).requested();
        if (tree.path("HostConfig").isObject()) {
            var host = (tools.jackson.databind.node.ObjectNode) tree.path("HostConfig");
            for (String k : List.of("Binds", "Mounts", "VolumesFrom")) {
                if (words.containsKey(k)) host.set(k, dev.berth.api.ApiJson.MAPPER.valueToTree(words.get(k)));
            }
        }
        if (tree.path("Config").isObject() && words.containsKey("Volumes")) {
            ((tools.jackson.databind.node.ObjectNode) tree.path("Config")).set("Volumes",
                    dev.berth.api.ApiJson.MAPPER.valueToTree(words.get("Volumes")));
        }
    }

    List<Map<String, Object>> inspect(String containerId) {
        return mounts.inspect(containerId);
    }

    /** ps's {@code volume=} filter: a volume name or a mount destination. */
    boolean uses(String containerId, List<String> wanted) {
        return mounts.plan(containerId).mounts().stream()
                .anyMatch(p -> wanted.contains(p.name()) || wanted.contains(p.destination()));
    }

    void removed(String containerId, boolean removeVolumes) {
        if (removeVolumes) mounts.dropAnonymous(containerId);
        else mounts.keepAnonymous(containerId);
    }
}
