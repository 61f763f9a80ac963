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

    /** Parses and checks Binds, Mounts, Volumes and the image's VOLUMEs; creates nothing. */
    List<MountPoint> check(JsonNode request) {
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

    void attach(String containerId, List<MountPoint> requested, boolean autoRemove) {
        mounts.attach(containerId, requested, autoRemove);
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
    }
}
