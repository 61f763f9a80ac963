package dev.berth.engine.container;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Futures for {@code wait}: one per container for its next exit (replaced at every exit), and one for its removal.
 * A waiter registered before {@code start} (as the Docker CLI does for {@code run}) sees that run's exit.
 */
final class Waiters {
    private final ConcurrentHashMap<String, CompletableFuture<Integer>> nextExit = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Integer>> removed = new ConcurrentHashMap<>();

    CompletableFuture<Integer> nextExit(String id) {
        return nextExit.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    CompletableFuture<Integer> removed(String id) {
        return removed.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    /** Before a start: makes sure the run's exit has a future to complete. */
    void arm(String id) {
        nextExit(id);
    }

    void exited(String id, int code) {
        var f = nextExit.remove(id);
        if (f != null) f.complete(code);
    }

    /** A start that failed is an exit too, for those waiting on it (the Docker CLI reports its code). */
    void failStart(String id, int code) {
        exited(id, code);
    }

    void removed(String id, int code) {
        exited(id, code);
        var f = removed.remove(id);
        if (f != null) f.complete(code);
    }
}
