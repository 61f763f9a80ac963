package dev.berth.daemon.api;

import dev.berth.common.HumanTime;
import dev.berth.api.ImageDeleteResponseItem;
import dev.berth.api.ImageSummary;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.image.ConfigChanges;
import dev.berth.image.Image;
import dev.berth.image.ImageConfig;
import dev.berth.image.ImageRef;
import dev.berth.image.ImageService;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code /images} endpoints that need no registry: list, inspect, import, tag, remove; save, load, history and prune in {@link ImageArchiveRoutes}. */
public final class ImagesHandler {
    private static final Set<String> LIST_FILTERS = Set.of("reference", "dangling", "label", "before", "since");

    private final ImageService images;
    private final ContainerService containers;
    private final EventBus events;

    public ImagesHandler(ImageService images, ContainerService containers, EventBus events) {
        this.images = images;
        this.containers = containers;
        this.events = events;
    }

    public void register(Router r) {
        new ImageArchiveRoutes(images, containers, events).register(r);
        r.get("/images/json", this::list);
        r.post("/images/create", this::create);
        r.get("/images/{name*}/json", ex -> ex.json(200, inspect(images.resolve(ex.param("name")))));
        r.post("/images/{name*}/tag", this::tag);
        r.delete("/images/{name*}", this::remove);
    }

    private void list(Exchange ex) {
        var f = Filters.parse(ex.query("filters"), LIST_FILTERS);
        boolean all = ex.queryBool("all");
        Image before = f.has("before") ? images.resolve(f.get("before").getFirst()) : null;
        Image since = f.has("since") ? images.resolve(f.get("since").getFirst()) : null;
        List<Image> listed = images.list();
        // Untagged images show with -a or a dangling filter; one others were committed from is an intermediate image,
        // shown with -a only and never dangling.
        Set<String> parents = listed.stream().map(Image::parent).filter(p -> p != null && !p.isEmpty())
                .collect(java.util.stream.Collectors.toSet());
        boolean danglingOnly = f.has("dangling") && f.get("dangling").contains("true");
        var rows = listed.stream()
                .filter(i -> !i.repoTags().isEmpty()
                        || (parents.contains(i.id()) ? all && !danglingOnly : all || f.has("dangling")))
                .filter(i -> !f.has("dangling") || f.get("dangling").contains(Boolean.toString(i.repoTags().isEmpty())))
                .filter(i -> f.labelsMatch(labels(i)))
                .filter(i -> !f.has("reference") || !matchingTags(f.get("reference"), i).isEmpty())
                .filter(i -> before == null || i.created().isBefore(before.created()))
                .filter(i -> since == null || i.created().isAfter(since.created()))
                .sorted(java.util.Comparator.comparing(Image::created).reversed())
                // As in Docker, a reference filter also narrows RepoTags to the names that matched.
                .map(i -> new ImageSummary(i.id(), i.parent() == null ? "" : i.parent(),
                        f.has("reference") ? matchingTags(f.get("reference"), i) : i.repoTags(), i.repoDigests(),
                        i.created().getEpochSecond(), i.size(), -1, i.size(), labels(i), -1))
                .toList();
        ex.json(200, rows);
    }

    /** The image's tags that a {@code reference} glob matches, as the familiar name or as name:tag. */
    private static List<String> matchingTags(List<String> patterns, Image i) {
        var matchers = patterns.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        return i.repoTags().stream().filter(tag -> {
            Path full = Path.of(tag);
            Path repo = Path.of(tag.substring(0, tag.lastIndexOf(':')));
            return matchers.stream().anyMatch(m -> m.matches(full) || m.matches(repo));
        }).toList();
    }

    /** {@code fromSrc=-}: import the request body as a root filesystem. Pulling needs a registry (not yet). */
    private void create(Exchange ex) throws Exception {
        String fromSrc = ex.query("fromSrc");
        if (fromSrc == null) {
            String image = ex.query("fromImage");
            throw EngineException.notFound("pull access denied for %s: berth cannot pull from registries yet; "
                    + "use 'berth image import' or 'berth load'", image == null ? "" : image);
        }
        if (!fromSrc.equals("-")) throw EngineException.invalid("importing from a URL is not supported: %s", fromSrc);
        String repo = ex.query("repo"), tag = ex.query("tag");
        String reference = repo == null || repo.isEmpty() ? null : tag == null || tag.isEmpty() ? repo : repo + ":" + tag;
        List<String> changes = ex.queryAll("changes");
        ImageConfig config = changes.isEmpty() ? null : ConfigChanges.apply(ImageConfig.EMPTY, changes);
        Image image = images.importRootfs(ex.body(), new ImageService.ImportOptions(reference, config, ex.query("message")));
        if (reference != null) publish(events, image, "tag", familiar(reference));
        publish(events, image, "import", image.id());
        try (OutputStream out = ex.stream(200, "application/json")) {
            out.write(("{\"status\":\"" + image.id() + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private void tag(Exchange ex) {
        String repo = ex.query("repo"), tag = ex.query("tag");
        if (repo == null || repo.isEmpty()) throw EngineException.invalid("repository name must have at least one component");
        String reference = tag == null || tag.isEmpty() ? repo : repo + ":" + tag;
        images.tag(ex.param("name"), reference);
        Image image = images.resolve(reference);
        publish(events, image, "tag", familiar(reference));
        ex.status(201);
    }

    private void remove(Exchange ex) {
        Image image = images.resolve(ex.param("name"));
        var result = images.remove(ex.param("name"), ex.queryBool("force"), ex.queryBool("noprune"), containers::usesImage);
        // As dockerd's classic image store: both name the image by its id (daemon/images/image_delete.go); one
        // delete for the image, none for the layers that went with it.
        for (var d : result) {
            if (d.untagged() != null) publish(events, image, "untag", image.id());
            if (d.image()) publish(events, image, "delete", image.id());
        }
        ex.json(200, result.stream().map(d -> new ImageDeleteResponseItem(d.untagged(), d.deleted())).toList());
    }

    /**
     * Docker's image events, for every image endpoint: the image id as actor, the name it was given, and the image's
     * labels.
     */
    static void publish(EventBus events, Image image, String action, String name) {
        var a = new java.util.HashMap<>(labels(image));
        a.put("name", name);
        events.publish("image", action, image.id(), a);
    }

    /** The tag in Docker's familiar form, as the image lists it: "foo:latest", "x/y:2" for docker.io/x/y:2. */
    static String familiar(String reference) {
        return ImageRef.parse(reference).toString();
    }

    static Map<String, String> labels(Image i) {
        return i.config() == null || i.config().labels() == null ? Map.of() : i.config().labels();
    }

    static Map<String, Object> inspect(Image i) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Id", i.id());
        m.put("RepoTags", i.repoTags());
        m.put("RepoDigests", i.repoDigests());
        m.put("Parent", i.parent() == null ? "" : i.parent());
        m.put("Comment", i.comment() == null ? "" : i.comment());
        m.put("Created", HumanTime.rfc3339(i.created()));
        m.put("DockerVersion", "");
        m.put("Author", i.author() == null ? "" : i.author());
        m.put("Config", config(i.config() == null ? ImageConfig.EMPTY : i.config()));
        m.put("Architecture", i.architecture());
        m.put("Os", i.os());
        m.put("Size", i.size());
        m.put("GraphDriver", Map.of("Name", "overlay2", "Data", Map.of()));
        m.put("RootFS", Map.of("Type", "layers", "Layers", i.layers()));
        m.put("Metadata", Map.of("LastTagTime", "0001-01-01T00:00:00Z"));
        return m;
    }

    private static Map<String, Object> config(ImageConfig c) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Hostname", "");
        m.put("Domainname", "");
        m.put("User", c.user() == null ? "" : c.user());
        m.put("AttachStdin", false);
        m.put("AttachStdout", false);
        m.put("AttachStderr", false);
        if (c.exposedPorts() != null) {
            var ports = new LinkedHashMap<String, Object>();
            c.exposedPorts().forEach(p -> ports.put(p, Map.of()));
            m.put("ExposedPorts", ports);
        }
        m.put("Tty", false);
        m.put("OpenStdin", false);
        m.put("StdinOnce", false);
        m.put("Env", c.env());
        m.put("Cmd", c.cmd());
        m.put("Image", "");
        if (c.volumes() != null) {
            var vols = new LinkedHashMap<String, Object>();
            c.volumes().forEach(v -> vols.put(v, Map.of()));
            m.put("Volumes", vols);
        } else {
            m.put("Volumes", null);
        }
        m.put("WorkingDir", c.workingDir() == null ? "" : c.workingDir());
        m.put("Entrypoint", c.entrypoint());
        m.put("OnBuild", null);
        m.put("Labels", c.labels());
        if (c.stopSignal() != null) m.put("StopSignal", c.stopSignal());
        if (c.healthcheck() != null) m.put("Healthcheck", c.healthcheck().toJson());
        return m;
    }
}
