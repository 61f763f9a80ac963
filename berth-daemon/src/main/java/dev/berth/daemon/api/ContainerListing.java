package dev.berth.daemon.api;

import dev.berth.common.EngineException;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.image.ImageService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code ps} selection with Docker's filters, and the file paths inspect reports. */
public final class ContainerListing {
    private static final java.util.Set<String> STATUSES =
            java.util.Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

    private final ContainerService containers;
    private final ImageService images;
    private final Path layersRoot;

    public ContainerListing(ContainerService containers, ImageService images, Path layersRoot) {
        this.containers = containers;
        this.images = images;
        this.layersRoot = layersRoot;
    }

    List<Container> select(List<Container> all, Filters f, boolean includeStopped) {
        for (String s : f.get("status")) {
            if (!STATUSES.contains(s)) throw EngineException.invalid("invalid filter 'status=%s'", s);
        }
        boolean any = includeStopped || f.has("status") || f.has("exited");
        var ancestors = f.get("ancestor").stream().map(this::imageIdOrNull).toList();
        Container before = f.has("before") ? containers.get(f.get("before").getFirst()) : null;
        Container since = f.has("since") ? containers.get(f.get("since").getFirst()) : null;
        return all.stream().filter(c -> {
            if (!any && !c.state().isRunning()) return false;
            if (f.has("status") && !f.get("status").contains(c.state().status().word())) return false;
            if (f.has("name") && f.get("name").stream().noneMatch(n -> Pattern.compile(n).matcher(c.name()).find())) return false;
            if (f.has("id") && f.get("id").stream().noneMatch(c.id()::startsWith)) return false;
            if (!f.labelsMatch(c.config().labels())) return false;
            if (f.has("exited") && (c.state().isRunning() || c.state().status().word().equals("created")
                    || f.get("exited").stream().noneMatch(x -> x.equals(Integer.toString(c.state().exitCode()))))) return false;
            if (f.has("ancestor") && !ancestors.contains(c.imageId()) && !f.get("ancestor").contains(c.imageRef())) return false;
            if (before != null && !c.created().isBefore(before.created())) return false;
            return since == null || c.created().isAfter(since.created());
        }).toList();
    }

    private String imageIdOrNull(String ref) {
        try {
            return images.resolve(ref).id();
        } catch (EngineException.NotFound e) {
            return null;
        }
    }

    ContainerViews.ContainerPaths paths(Container c) {
        Path dir = containers.containerDir(c.id());
        Path layer = layersRoot.resolve("containers").resolve(c.id());
        return new ContainerViews.ContainerPaths(dir.resolve("resolv.conf"), dir.resolve("hostname"), dir.resolve("hosts"),
                containers.logPath(c), Map.of("UpperDir", layer.resolve("upper").toString(), "WorkDir", layer.resolve("work").toString()),
                containers.bridgeLease(c.id()).orElse(null), containers.networkAttachments(c.id()));
    }

    /** The size of the image's layers, for ps -s's "(virtual ...)". */
    Long imageSize(String imageId) {
        return ContainerViews.imageSize(images, imageId);
    }
}
