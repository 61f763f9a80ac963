package dev.berth.daemon.api;

import dev.berth.api.ApiJson;
import dev.berth.common.EngineException;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Router;
import dev.berth.engine.container.ContainerArchive;
import dev.berth.engine.container.ContainerChanges;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's files: {@code /containers/{id}/archive} (HEAD stat, GET a tar, PUT a tar: what {@code docker cp}
 * uses), {@code /containers/{id}/changes} ({@code docker diff}) and {@code /containers/{id}/export}.
 */
public final class ContainerFilesHandler {
    private static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerArchive archive;
    private final ContainerChanges changes;

    public ContainerFilesHandler(ContainerArchive archive, ContainerChanges changes) {
        this.archive = archive;
        this.changes = changes;
    }

    public void register(Router r) {
        r.head("/containers/{id}/archive", this::stat);
        r.get("/containers/{id}/archive", this::read);
        r.put("/containers/{id}/archive", this::extract);
        r.get("/containers/{id}/changes", this::changes);
        r.get("/containers/{id}/export", this::export);
    }

    private void stat(Exchange ex) {
        var stat = archive.stat(ex.param("id"), path(ex));
        ex.header(STAT_HEADER, statHeader(stat));
        ex.status(200);
    }

    private void read(Exchange ex) {
        archive.read(ex.param("id"), path(ex), stat -> {
            ex.header(STAT_HEADER, statHeader(stat));
            return ex.stream(200, "application/x-tar");
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
        archive.export(ex.param("id"), () -> ex.stream(200, "application/x-tar"));
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
