package dev.berth.engine.network;

import dev.berth.common.AtomicFiles;
import dev.berth.common.Json;
import dev.berth.image.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Network records under {@code <data-root>/networks/<id>/}: {@code network.json} is the network (its atomic write is
 * the commit point of a create, its removal the commit point of a rm), {@code pending.json} the same record written
 * before a create touches the host (so a crash part-way through can be undone), {@code endpoints/<container>.json}
 * the containers that joined it.
 */
final class NetworkStore {
    private static final String RECORD = "network.json";
    private static final String PENDING = "pending.json";

    private final Path root;

    NetworkStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void savePending(Network n) {
        AtomicFiles.write(root.resolve(n.id()).resolve(PENDING), Json.write(n));
    }

    /** Commits a create: the record, then the pending record goes. */
    void commit(Network n) {
        AtomicFiles.write(root.resolve(n.id()).resolve(RECORD), Json.write(n));
        deleteQuietly(root.resolve(n.id()).resolve(PENDING));
    }

    /** Networks whose create never committed (a crash or failure between pending and commit). */
    List<Network> pending() {
        var out = new ArrayList<Network>();
        for (Path d : dirs()) {
            Path p = d.resolve(PENDING);
            if (Files.isRegularFile(p) && !Files.isRegularFile(d.resolve(RECORD))) out.add(read(p, Network.class));
        }
        return out;
    }

    List<Network> loadAll() {
        var out = new ArrayList<Network>();
        for (Path d : dirs()) {
            AtomicFiles.sweepTemporaries(d);
            Path p = d.resolve(RECORD);
            if (Files.isRegularFile(p)) out.add(read(p, Network.class));
        }
        return out;
    }

    /** Removes the record first (the network is gone once that is durable), then the rest of its directory. */
    void delete(String id) {
        Path d = root.resolve(id);
        deleteQuietly(d.resolve(RECORD));
        AtomicFiles.fsyncDirectory(d);
        deleteTree(d);
    }

    void saveEndpoint(String networkId, Network.Endpoint e) {
        AtomicFiles.write(endpoints(networkId).resolve(e.containerId() + ".json"), Json.write(e));
    }

    void deleteEndpoint(String networkId, String containerId) {
        deleteQuietly(endpoints(networkId).resolve(containerId + ".json"));
    }

    List<Network.Endpoint> endpointsOf(String networkIdArg) {
        Path dir = endpoints(networkIdArg);
        var out = new ArrayList<Network.Endpoint>();
        if (!Files.isDirectory(dir)) return out;
        AtomicFiles.sweepTemporaries(dir);
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().endsWith(".json")) out.add(read(p, Network.Endpoint.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingLong(Network.Endpoint::order));
        return out;
    }

    private Path endpoints(String networkId) {
        return root.resolve(networkId).resolve("endpoints");
    }

    private List<Path> dirs() {
        try (var s = Files.list(root)) {
            return s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(Path p, Class<T> type) {
        try {
            return Json.read(Files.readAllBytes(p), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // gone already
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) {
        try {
            FileTrees.deleteRecursively(p);
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + p + ": " + e.getMessage(), e);
        }
    }
}
