package dev.berth.engine.container;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waits before restart-policy restarts: one pending restart per container, each on its own virtual thread, with
 * the back-off of {@link RestartPolicies#nextDelay} kept per container. Cancelling only interrupts the wait; the
 * restart itself re-checks the container's state under its lock, so a restart that lost the race does nothing.
 */
final class RestartScheduler {
    private final ConcurrentHashMap<String, Thread> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Duration> lastDelay = new ConcurrentHashMap<>();

    /** Runs {@code restart} after the next wait for {@code id}, given how long its last run lasted; returns the wait. */
    Duration schedule(String id, Duration ran, Runnable restart) {
        Duration delay = RestartPolicies.nextDelay(lastDelay.get(id), ran);
        lastDelay.put(id, delay);
        Thread t = Thread.ofVirtual().name("restart-" + id.substring(0, Math.min(12, id.length()))).unstarted(() -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return; // cancelled
            }
            pending.remove(id, Thread.currentThread());
            restart.run();
        });
        Thread previous = pending.put(id, t);
        if (previous != null) previous.interrupt();
        t.start();
        return delay;
    }

    /** Drops the pending restart of {@code id}, if any; the back-off is kept (the user may start it again). */
    void cancel(String id) {
        Thread t = pending.remove(id);
        if (t != null) t.interrupt();
    }

    /** Drops every pending restart (the daemon shuts down: the next one restarts by policy). */
    void cancelAll() {
        for (String id : java.util.List.copyOf(pending.keySet())) cancel(id);
    }

    /** Cancels and forgets {@code id} entirely (the container is being removed). */
    void forget(String id) {
        cancel(id);
        lastDelay.remove(id);
    }
}
