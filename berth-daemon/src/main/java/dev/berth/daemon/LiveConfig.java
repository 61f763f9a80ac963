package dev.berth.daemon;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration a running daemon works with: what it started with, and after each SIGHUP the reloadable options
 * read again from daemon.json. Readers ask for {@link #current()} each time rather than keep a copy.
 */
public final class LiveConfig {
    private static final Logger log = LoggerFactory.getLogger(LiveConfig.class);

    private volatile DaemonConfig current;
    private final List<Consumer<DaemonConfig>> listeners = new CopyOnWriteArrayList<>();

    public LiveConfig(DaemonConfig initial) {
        this.current = initial;
    }

    public DaemonConfig current() {
        return current;
    }

    /** {@code listener} gets each configuration a reload produced. */
    public void onReload(Consumer<DaemonConfig> listener) {
        listeners.add(listener);
    }

    /**
     * Reads daemon.json again. A file that does not pass (bad JSON, an unknown key, a conflict with a flag) changes
     * nothing and is logged, as dockerd does: the daemon keeps running on what it had.
     */
    public synchronized boolean reload() {
        DaemonConfig next;
        try {
            next = current.reload(System.getenv());
        } catch (IOException | IllegalArgumentException e) {
            log.error("Error reloading the configuration: {}", e.getMessage());
            return false;
        }
        current = next;
        log.info("Reloaded configuration from {}: {}", next.configFile(), attributes(next));
        for (var l : listeners) l.accept(next);
        return true;
    }

    /** The reloadable options as the attributes of dockerd's {@code daemon reload} event. */
    public static Map<String, String> attributes(DaemonConfig c) {
        var m = new LinkedHashMap<String, String>();
        m.put("debug", Boolean.toString(c.debug()));
        m.put("labels", json(c.labels()));
        m.put("live-restore", Boolean.toString(c.liveRestore()));
        m.put("insecure-registries", json(c.insecureRegistries()));
        m.put("registry-mirrors", json(c.registryMirrors()));
        m.put("max-concurrent-downloads", Integer.toString(c.maxConcurrentDownloads()));
        m.put("max-concurrent-uploads", Integer.toString(c.maxConcurrentUploads()));
        return m;
    }

    private static String json(Object o) {
        return new String(dev.berth.common.Json.write(o), java.nio.charset.StandardCharsets.UTF_8);
    }
}
