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

    public ContainerVolumes(ContainerMounts mounts, ImageService images) {
        this.mounts = mounts;
        this.images = images;
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
        return MountRequests.parse(request, imageVolumes);
    }

    void attach(String containerId, List<MountPoint> requested, boolean autoRemove) {
        mounts.attach(containerId, requested, autoRemove);
    }

    List<Map<String, Object>> inspect(String containerId) {
        return mounts.inspect(containerId);
    }

    void removed(String containerId, boolean removeVolumes) {
        if (removeVolumes) mounts.dropAnonymous(containerId);
    }
}
