package dev.berth.engine.container;

import dev.berth.common.AtomicFiles;
import dev.berth.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container records on disk, one directory per container under {@code <data-root>/containers}. Each record is
 * replaced atomically, so after {@code kill -9} a record is either the old one or the new one. The directory also
 * holds the container's own files (log, hosts, hostname, resolv.conf), so removing it removes everything.
 */
public final class ContainerStore {
    private static final Logger log = LoggerFactory.getLogger(ContainerStore.class);
    static final String RECORD = "container.json";

    private final Path root;

    public ContainerStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    public void save(Container c) {
        AtomicFiles.write(dir(c.id()).resolve(RECORD), Json.write(c));
    }

    /** Every record on disk. A directory without a readable record is a create that a crash cut short. */
    public List<Container> loadAll() {
        var result = new ArrayList<Container>();
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                AtomicFiles.sweepTemporaries(d);
                Path record = d.resolve(RECORD);
                if (!Files.isRegularFile(record)) {
                    log.warn("removing {}: no container record (interrupted create)", d);
                    deleteTree(d);
                    continue;
                }
                result.add(Json.read(Files.readAllBytes(record), Container.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** Removes the record first (the container is gone once that is durable), then its files. */
    public void delete(String id) {
        try {
            Files.deleteIfExists(dir(id).resolve(RECORD));
            AtomicFiles.fsyncDirectory(dir(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deleteTree(dir(id));
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + p + ": " + e.getMessage(), e);
        }
    }
}
