package dev.berth.runtime.conmon;

import dev.berth.runtime.Runtime.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns exit files into exit notifications. conmon writes {@code exits/<id>} with {@code g_file_set_contents} (a
 * temporary {@code <id>.XXXXXX} renamed into place), which inotify reports as a create; each exit is read back
 * through {@code exitReader}, so a notification is only sent once {@code exit(id)} would return the same exit.
 *
 * <p>Exit files present when the watcher starts are remembered, not reported: they happened while no daemon ran and
 * the engine's reconcile pass reads them. Exits found before a listener is registered wait for it. One exit is
 * reported once: the watcher remembers each task's last reported exit by its file time until {@link #forget}.
 *
 * <p>Threads: one platform thread waits on inotify and calls the listener; a slow listener delays later exits.
 */
final class ExitWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);

    private final Path dir;
    private final Function<String, Optional<Exit>> exitReader;
    private final Set<String> ignored;
    private final Map<String, Instant> reported = new ConcurrentHashMap<>();
    private final WatchService watchService;
    private final Thread thread;
    private final List<Exit> pending = new ArrayList<>();
    private Consumer<Exit> listener; // guarded by pending

    /**
     * @param ignored ids whose exits must not be reported (tasks being deleted); read at each event
     */
    ExitWatcher(Path dir, Function<String, Optional<Exit>> exitReader, Set<String> ignored) {
        this.dir = dir;
        this.exitReader = exitReader;
        this.ignored = ignored;
        try {
            watchService = FileSystems.getDefault().newWatchService();
            dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch exit directory " + dir + ": " + e.getMessage(), e);
        }
        // After registering, so that an exit landing in between is either seen here or by an event.
        for (String id : listIds()) exitReader.apply(id).ifPresent(exit -> reported.put(id, exit.at()));
        thread = Thread.ofPlatform().daemon().name("berth-exit-watcher").start(this::loop);
    }

    void listener(Consumer<Exit> listener) {
        List<Exit> backlog;
        synchronized (pending) {
            this.listener = listener;
            backlog = List.copyOf(pending);
            pending.clear();
        }
        backlog.forEach(this::deliver);
    }

    /** Forgets what was reported for {@code id}, so that the next exit of a task re-created under it is reported. */
    void forget(String id) {
        reported.remove(id);
    }

    @Override
    public void close() {
        try {
            watchService.close(); // wakes the thread with ClosedWatchServiceException
        } catch (IOException e) {
            log.warn("closing exit watcher: {}", e.getMessage());
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        listIds().forEach(this::check); // events were lost: look at everything
                    } else if (event.context() instanceof Path name) {
                        check(name.toString());
                    }
                }
                if (!key.reset()) {
                    log.error("exit directory {} is no longer watchable; exits will only be found by reconcile", dir);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed by close()
        } catch (RuntimeException e) {
            log.error("exit watcher stopped", e);
        }
    }

    private void check(String id) {
        if (ignored.contains(id)) return;
        Optional<Exit> exit;
        try {
            exit = exitReader.apply(id); // empty for conmon's temporary files and for tasks already deleted
        } catch (RuntimeException e) {
            log.warn("cannot read exit of {}: {}", id, e.getMessage());
            return;
        }
        if (exit.isEmpty()) return;
        Instant previous = reported.put(id, exit.get().at());
        if (exit.get().at().equals(previous)) return;
        synchronized (pending) {
            if (listener == null) {
                pending.add(exit.get());
                return;
            }
        }
        deliver(exit.get());
    }

    private void deliver(Exit exit) {
        Consumer<Exit> target;
        synchronized (pending) {
            target = listener;
        }
        try {
            target.accept(exit);
        } catch (RuntimeException e) {
            log.error("exit listener failed for {}", exit.id(), e);
        }
    }

    private List<String> listIds() {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            log.warn("cannot list {}: {}", dir, e.getMessage());
            return List.of();
        }
    }
}
