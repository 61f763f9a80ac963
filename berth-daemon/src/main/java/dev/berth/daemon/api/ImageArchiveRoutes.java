package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.events.EventBus;
import dev.berth.image.Image;
import dev.berth.image.ImageService;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** The {@code /images} endpoints that move or account for whole images: save, load, history, prune. */
final class ImageArchiveRoutes {
    private static final Set<String> PRUNE_FILTERS = Set.of("dangling", "until", "label", "label!");

    private final ImageService images;
    private final ContainerService containers;
    private final EventBus events;

    ImageArchiveRoutes(ImageService images, ContainerService containers, EventBus events) {
        this.images = images;
        this.containers = containers;
        this.events = events;
    }

    void register(Router r) {
        r.get("/images/get", ex -> save(ex, ex.queryAll("names")));
        r.get("/images/{name*}/get", ex -> save(ex, List.of(ex.param("name"))));
        r.post("/images/load", this::load);
        r.get("/images/{name*}/history", this::history);
        r.post("/images/prune", this::prune);
    }

    /**
     * Names and layers are checked before the response starts, so a refusal is a plain error. A failure while
     * streaming leaves the archive unterminated, never complete-looking.
     */
    private void save(Exchange ex, List<String> names) throws Exception {
        var archive = images.save(names);
        var saved = archive.imageIds().stream().map(images::resolve).toList();
        OutputStream out = ex.bulkStream(200, "application/x-tar");
        archive.writeTo(out);
        out.close();
        for (Image image : saved) ImagesHandler.publish(events, image, "save", image.id());
    }

    /** Docker answers with JSON messages; {@code quiet} only drops progress bars, which berth does not draw. */
    private void load(Exchange ex) throws Exception {
        List<String> lines = images.load(ex.body());
        // As dockerd: one load event per image, named by its id.
        lines.stream().map(ImageArchiveRoutes::loadedImage).filter(java.util.Objects::nonNull)
                .map(images::resolve).collect(java.util.stream.Collectors.toMap(Image::id, i -> i, (a, b) -> a,
                        LinkedHashMap::new))
                .values().forEach(image -> ImagesHandler.publish(events, image, "load", image.id()));
        try (OutputStream out = ex.stream(200, "application/json")) {
            for (String line : lines) {
                out.write(ApiJson.MAPPER.writeValueAsBytes(Map.of("stream", line + "\n")));
                out.write('\n');
            }
        }
    }

    private void history(Exchange ex) {
        var rows = images.history(ex.param("name")).stream().map(h -> {
            var m = new LinkedHashMap<String, Object>();
            m.put("Comment", h.comment());
            m.put("Created", h.created());
            m.put("CreatedBy", h.createdBy());
            m.put("Id", h.id());
            m.put("Size", h.size());
            m.put("Tags", h.tags());
            return m;
        }).toList();
        ex.json(200, rows);
    }

    /**
     * Docker's rules: only dangling images unless {@code dangling=false} (then every image no container uses);
     * {@code until} keeps images created at or after it; {@code label} and {@code label!} match labels.
     */
    private void prune(Exchange ex) {
        var f = Filters.parse(ex.query("filters"), PRUNE_FILTERS);
        boolean danglingOnly = true;
        for (String v : f.get("dangling")) {
            switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> danglingOnly = true;
                case "false", "0" -> danglingOnly = false;
                default -> throw EngineException.invalid("invalid filter 'dangling=%s'", v);
            }
        }
        Instant until = f.has("until") ? Timestamps.parse(f.get("until").getFirst()) : null;
        boolean onlyDangling = danglingOnly;
        // The images picked, kept for their events' labels once they are gone.
        var picked = new java.util.HashMap<String, Image>();
        Predicate<Image> matches = i -> (!onlyDangling || i.repoTags().isEmpty())
                && (until == null || i.created().isBefore(until))
                && f.labelsMatch(ImagesHandler.labels(i))
                && f.notLabelsMatch(ImagesHandler.labels(i));
        Predicate<Image> select = i -> {
            if (!matches.test(i)) return false;
            picked.put(i.id(), i);
            return true;
        };
        var report = images.prune(select, containers::usesImage);
        // Each image's Untagged records come before its own Deleted record (its layers' follow); the events name
        // the image by its id.
        int untagged = 0;
        for (var d : report.deleted()) {
            if (d.untagged() != null) untagged++;
            if (d.image()) {
                Image image = picked.get(d.deleted());
                for (; untagged > 0; untagged--) ImagesHandler.publish(events, image, "untag", image.id());
                ImagesHandler.publish(events, image, "delete", image.id());
            }
        }
        events.publish("image", "prune", "", Map.of("reclaimed", Long.toString(report.spaceReclaimed())));
        var deleted = report.deleted().stream().map(d -> {
            var m = new LinkedHashMap<String, String>();
            if (d.untagged() != null) m.put("Untagged", d.untagged());
            if (d.deleted() != null) m.put("Deleted", d.deleted());
            return m;
        }).toList();
        var body = new LinkedHashMap<String, Object>();
        body.put("ImagesDeleted", deleted.isEmpty() ? null : deleted);
        body.put("SpaceReclaimed", report.spaceReclaimed());
        ex.json(200, body);
    }

    /** The name or id a "Loaded image" line names, or null for other lines. */
    private static String loadedImage(String line) {
        if (line.startsWith("Loaded image ID: ")) return line.substring("Loaded image ID: ".length());
        if (line.startsWith("Loaded image: ")) return line.substring("Loaded image: ".length());
        return null;
    }
}
