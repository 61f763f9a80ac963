package dev.berth.engine.container;

import dev.berth.runtime.Runtime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile step for one container at daemon start, sorted into the cases a crash can leave behind. Docker's
 * live-restore does the same: a running task is adopted, never restarted.
 */
final class ContainerRestore {
    private static final Logger log = LoggerFactory.getLogger(ContainerRestore.class);

    private ContainerRestore() {}

    static void reconcile(ContainerService service, Container c) {
        Runtime runtime = service.runtime();
        switch (c.state().status()) {
            case REMOVING -> {
                log.info("finishing the removal of {}", c.id());
                service.finishRemoval(c);
            }
            case RESTARTING -> {
                // The daemon died while a restart policy waited to start it: there is no task; the restore pass
                // starts it again.
                if (staleRun(service, c)) service.dropStaleRun(c);
            }
            case RUNNING, PAUSED -> {
                Optional<Runtime.Exit> exit = runtime.exit(c.id());
                if (exit.isPresent()) {
                    // It exited while no daemon was watching: record its real exit code now.
                    service.onExit(c.id(), exit.get());
                    return;
                }
                Optional<Runtime.TaskState> state = runtime.state(c.id());
                if (state.isPresent() && (state.get().status() == Runtime.Status.RUNNING || state.get().status() == Runtime.Status.PAUSED)) {
                    service.adopt(c);
                    // The exit may have landed between the two reads above; the listener or this catches it.
                    runtime.exit(c.id()).ifPresent(e -> service.onExit(c.id(), e));
                } else {
                    // A stopped task: its process ended a moment ago and its monitor is about to write the exit status.
                    Optional<Runtime.Exit> late = state.isPresent() ? awaitExit(runtime, c.id()) : Optional.empty();
                    if (late.isPresent()) {
                        service.onExit(c.id(), late.get());
                        return;
                    }
                    log.warn("container {} was running but its task is gone; marking it exited", c.id());
                    service.markExited(c, 255, "task lost while the daemon was down");
                }
            }
            case CREATED, EXITED, DEAD -> {
                // A start cut short by a crash can leave a created task and a mounted rootfs behind.
                if (staleRun(service, c)) service.dropStaleRun(c);
                service.shipEndedRun(c);
                if (c.spec().host().autoRemove() && c.state().status() == ContainerState.Status.EXITED) {
                    service.remove(c.id(), true);
                }
            }
        }
    }

    /** How long a stopped task's exit status may take to appear: its monitor writes it after reaping the process. */
    static final java.time.Duration EXIT_GRACE = java.time.Duration.ofSeconds(3);

    private static Optional<Runtime.Exit> awaitExit(Runtime runtime, String id) {
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        while (true) {
            Optional<Runtime.Exit> exit = runtime.exit(id);
            if (exit.isPresent() || System.nanoTime() > deadline) return exit;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * Whether a container that does not run has something of a run left: a task, an exit not yet processed, or a
     * bundle with its root filesystem mounted by a start that a crash cut short before it created the task.
     */
    private static boolean staleRun(ContainerService service, Container c) {
        Runtime runtime = service.runtime();
        return runtime.state(c.id()).isPresent() || runtime.exit(c.id()).isPresent() || service.hasBundle(c);
    }
}
