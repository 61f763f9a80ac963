package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.api.ImageSummary;
import dev.berth.daemon.http.Exchange;
import dev.berth.engine.container.Container;
import dev.berth.engine.container.ContainerService;
import dev.berth.image.ImageService;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /system/df}: what images and containers take on disk. Layers shared by images count once in
 * {@code LayersSize} and appear as each image's {@code SharedSize}; a container's {@code SizeRootFs} is its image
 * plus its own writable layer. Volumes come with their size and how many containers use them; no build cache yet.
 */
final class SystemDf {
    private final ContainerService containers;
    private final ImageService images;

    /** system df's Volumes rows with UsageData (issue #6). */
    private final java.util.function.Supplier<List<?>> volumes;

    /** What ps adds to a row beyond {@link ContainerViews#summary} (Ports, Mounts), by container id. */
    private final BiConsumer<Container, ObjectNode> psRowDetails;

    SystemDf(ContainerService containers, ImageService images, java.util.function.Supplier<List<?>> volumes,
             BiConsumer<Container, ObjectNode> psRowDetails) {
        this.containers = containers;
        this.images = images;
        this.volumes = volumes;
        this.psRowDetails = psRowDetails;
    }

    void handle(Exchange ex) {
        var usage = images.diskUsage();
        List<Container> all = containers.list();
        var users = new HashMap<String, Integer>();
        all.forEach(c -> users.merge(c.imageId(), 1, Integer::sum));
        var imageSizes = new HashMap<String, Long>();
        var imageRows = usage.images().stream()
                .sorted(Comparator.comparing((ImageService.ImageUsage u) -> u.image().created()).reversed())
                .map(u -> {
                    var i = u.image();
                    imageSizes.put(i.id(), i.size());
                    return new ImageSummary(i.id(), i.parent() == null ? "" : i.parent(), i.repoTags(), i.repoDigests(),
                            i.created().getEpochSecond(), i.size(), u.sharedSize(), i.size(),
                            i.config() == null || i.config().labels() == null ? Map.of() : i.config().labels(),
                            users.getOrDefault(i.id(), 0));
                }).toList();
        // ps -s rows: the same summary and details as GET /containers/json?size=1 (Mounts give LOCAL VOLUMES).
        var containerRows = ApiJson.MAPPER.createArrayNode();
        for (Container c : all) {
            ObjectNode row = ApiJson.MAPPER.valueToTree(ContainerViews.summary(c, containers.sizeRw(c.id()),
                    imageSizes.getOrDefault(c.imageId(), 0L)));
            psRowDetails.accept(c, row);
            containerRows.add(row);
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("LayersSize", usage.layersSize());
        body.put("Images", imageRows);
        body.put("Containers", containerRows);
        body.put("Volumes", volumes.get());
        body.put("BuildCache", List.of());
        ex.json(200, body);
    }
}
