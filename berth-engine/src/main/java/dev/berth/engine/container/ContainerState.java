package dev.berth.engine.container;

import java.time.Instant;

/**
 * The mutable part of a container (Docker's inspect {@code State}). Immutable value: every change makes a new one,
 * which is written to disk before anyone else sees it.
 */
public record ContainerState(
        Status status,
        int pid,
        int exitCode,
        String error,
        boolean oomKilled,
        Instant startedAt,
        Instant finishedAt,
        int restartCount,
        boolean manuallyStopped) {

    /** Docker's status words, as shown in inspect and used by {@code ps --filter status=}. */
    public enum Status {
        CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Docker's zero time, shown for a container that never started or never finished. */
    public static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    public static ContainerState created() {
        return new ContainerState(Status.CREATED, 0, 0, "", false, ZERO_TIME, ZERO_TIME, 0, false);
    }

    /** RESTARTING counts as running, as in Docker: it has a run in progress that only waits for its next start. */
    public boolean isRunning() {
        return status == Status.RUNNING || status == Status.PAUSED || status == Status.RESTARTING;
    }

    /** Started at {@code at}; {@code restarts} is 0 for a start by the user and counts the policy's restarts. */
    public ContainerState running(int newPid, Instant at, int restarts) {
        return new ContainerState(Status.RUNNING, newPid, 0, "", false, at, finishedAt, restarts, false);
    }

    public ContainerState exited(int code, boolean oom, Instant at) {
        return new ContainerState(Status.EXITED, 0, code, error, oom, startedAt, at, restartCount, manuallyStopped);
    }

    /** Exited with {@code code}, and the restart policy starts it again after a wait (Docker's "Restarting"). */
    public ContainerState restarting(int code, boolean oom, Instant at) {
        return new ContainerState(Status.RESTARTING, 0, code, error, oom, startedAt, at, restartCount, manuallyStopped);
    }

    /** A start that failed leaves the container as it was, with the error and exit code Docker reports. */
    public ContainerState startFailed(int code, String message) {
        return new ContainerState(status, 0, code, message, false, startedAt, finishedAt, restartCount, manuallyStopped);
    }

    public ContainerState withStatus(Status s) {
        return new ContainerState(s, pid, exitCode, error, oomKilled, startedAt, finishedAt, restartCount, manuallyStopped);
    }

    /** The user stopped or killed it: restart policies other than "always" leave it stopped, even across daemon restarts. */
    public ContainerState withManuallyStopped(boolean stopped) {
        return new ContainerState(status, pid, exitCode, error, oomKilled, startedAt, finishedAt, restartCount, stopped);
    }
}
