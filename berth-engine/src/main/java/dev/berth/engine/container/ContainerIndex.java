package dev.berth.engine.container;

import dev.berth.common.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory view of every container: records by id, the name index, and one lock per container. Reads never
 * touch the disk, so {@code ps} stays fast with thousands of containers.
 *
 * <p>Lookups follow Docker's order: a full id, then an exact name (with or without its leading slash), then a unique
 * id prefix.
 */
final class ContainerIndex {
    private final ConcurrentHashMap<String, Container> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    Container find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) throw noSuch(idOrName);
        Container c = byId.get(idOrName);
        if (c != null) return c;
        String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        String id = idByName.get(name);
        if (id != null && (c = byId.get(id)) != null) return c;
        Container match = null;
        for (Container x : byId.values()) {
            if (x.id().startsWith(idOrName)) {
                if (match != null) throw EngineException.invalid("Multiple IDs found with provided prefix: %s", idOrName);
                match = x;
            }
        }
        if (match == null) throw noSuch(idOrName);
        return match;
    }

    Container get(String id) {
        return byId.get(id);
    }

    List<Container> all() {
        return new ArrayList<>(byId.values());
    }

    /** Claims {@code name} for {@code id}; refuses a name another container holds, with Docker's text. */
    void reserveName(String name, String id) {
        String holder = idByName.putIfAbsent(name, id);
        if (holder != null && !holder.equals(id)) {
            throw EngineException.conflict(
                    "Conflict. The container name \"/%s\" is already in use by container \"%s\". You have to remove (or rename) that container to be able to reuse that name.",
                    name, holder);
        }
    }

    void releaseName(String name, String id) {
        idByName.remove(name, id);
    }

    void put(Container c) {
        byId.put(c.id(), c);
    }

    void remove(Container c) {
        byId.remove(c.id());
        idByName.remove(c.name(), c.id());
        locks.remove(c.id());
    }

    ReentrantLock lock(String id) {
        return locks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    static EngineException.NotFound noSuch(String idOrName) {
        return EngineException.notFound("No such container: %s", idOrName);
    }
}
