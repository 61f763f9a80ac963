package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.ContainerArchive;
import dev.berth.engine.container.ContainerChanges;
import dev.berth.engine.container.ContainerCommit;
import dev.berth.image.ImageConfig;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's files: {@code /containers/{id}/archive} (HEAD stat, GET a tar, PUT a tar: what {@code docker cp}
 * uses), {@code /containers/{id}/changes} ({@code docker diff}), {@code /containers/{id}/export} and
 * {@code POST /commit}.
 */
public final class ContainerFilesHandler {
    private static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerArchive archive;
    private final ContainerChanges changes;
    private final ContainerCommit commits;

    public ContainerFilesHandler(ContainerArchive archive, ContainerChanges changes, ContainerCommit commits) {
        this.archive = archive;
        this.changes = changes;
        this.commits = commits;
    }

    public void register(Router r) {
        r.head("/containers/{id}/archive", this::stat);
        r.get("/containers/{id}/archive", this::read);
        r.put("/containers/{id}/archive", this::extract);
        r.get("/containers/{id}/changes", this::changes);
        r.get("/containers/{id}/export", this::export);
        r.post("/commit", this::commit);
    }

    /** {@code POST /commit}: the body, if any, is a container Config whose settings override the container's. */
    private void commit(Exchange ex) throws java.io.IOException {
        String container = ex.query("container");
        if (container == null || container.isEmpty()) throw EngineException.invalid("container is required");
        Map<?, ?> body = ex.readJson(Map.class);
        String pause = ex.query("pause");
        var image = commits.commit(new ContainerCommit.Request(container, ex.query("repo"), ex.query("tag"),
                ex.query("comment"), ex.query("author"), pause == null || pause.isEmpty() || ex.queryBool("pause"),
                overrides(body), ex.queryAll("changes")));
        ex.json(201, Map.of("Id", image.id()));
    }

    /** The image settings a commit body's container Config sets (absent ones stay null). */
    static ImageConfig overrides(Map<?, ?> body) {
        if (body == null || body.isEmpty()) return null;
        return new ImageConfig(string(body.get("User")), keys(body.get("ExposedPorts")), strings(body.get("Env")),
                strings(body.get("Entrypoint")), strings(body.get("Cmd")), keys(body.get("Volumes")),
                string(body.get("WorkingDir")), labels(body.get("Labels")), string(body.get("StopSignal")));
    }

    private static String string(Object o) {
        return o instanceof String s && !s.isEmpty() ? s : null;
    }

    /** A list of strings, or a single string (Cmd and Entrypoint may be either in old clients' JSON). */
    private static List<String> strings(Object o) {
        if (o instanceof String s) return List.of(s);
        if (!(o instanceof List<?> l) || l.isEmpty()) return null;
        return l.stream().map(String::valueOf).toList();
    }

    private static List<String> keys(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.isEmpty()) return null;
        return m.keySet().stream().map(String::valueOf).toList();
    }

    private static Map<String, String> labels(Object o) {
        if (!(o instanceof Map<?, ?> m) || m.isEmpty()) return null;
        var out = new LinkedHashMap<String, String>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return out;
    }

    private void stat(Exchange ex) {
        var stat = archive.stat(ex.param("id"), path(ex));
        ex.header(STAT_HEADER, statHeader(stat));
        ex.status(200);
    }

    private void read(Exchange ex) {
        archive.read(ex.param("id"), path(ex), stat -> {
            ex.header(STAT_HEADER, statHeader(stat));
            return ex.bulkStream(200, "application/x-tar");
        });
    }

    private void extract(Exchange ex) {
        archive.extract(ex.param("id"), path(ex), ex.body(), ex.queryBool("noOverwriteDirNonDir"),
                ex.queryBool("copyUIDGID"));
        ex.status(200);
    }

    private void changes(Exchange ex) {
        var out = changes.changes(ex.param("id")).stream()
                .map(c -> Map.of("Path", c.path(), "Kind", c.kind().code()))
                .toList();
        ex.json(200, out.isEmpty() ? List.of() : out);
    }

    private void export(Exchange ex) {
        archive.export(ex.param("id"), () -> ex.bulkStream(200, "application/x-tar"));
    }

    private static String path(Exchange ex) {
        String p = ex.query("path");
        if (p == null || p.isEmpty()) throw EngineException.invalid("path cannot be empty");
        return p;
    }

    /** Docker's ContainerPathStat as base64 JSON. */
    static String statHeader(ContainerArchive.PathStat s) {
        var m = new LinkedHashMap<String, Object>();
        m.put("name", s.name());
        m.put("size", s.size());
        m.put("mode", s.mode());
        m.put("mtime", s.mtime().toString());
        m.put("linkTarget", s.linkTarget());
        return Base64.getEncoder().encodeToString(ApiJson.MAPPER.writeValueAsBytes(m));
    }
}
