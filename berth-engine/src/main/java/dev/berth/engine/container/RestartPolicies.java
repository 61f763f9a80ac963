package dev.berth.engine.container;

import dev.berth.common.EngineException;
import dev.berth.engine.container.ContainerSpec.RestartPolicy;
import java.time.Duration;

/**
 * Docker's restart policies ({@code --restart}): which are valid, whether an exit is followed by a restart, and how
 * long to wait first. The rules follow moby's {@code api/types/container/hostconfig.go} (validation) and
 * {@code restartmanager/restartmanager.go} (decision and back-off); the docs are "Start containers automatically".
 *
 * <ul>
 *   <li>{@code no}: never;</li>
 *   <li>{@code always}: after every exit, except one the user caused with stop or kill; a stopped container comes
 *       back when the daemon starts again;</li>
 *   <li>{@code unless-stopped}: the same, but a container the user stopped stays stopped across daemon restarts;</li>
 *   <li>{@code on-failure[:N]}: after a non-zero exit, at most N times in a row (0: no limit).</li>
 * </ul>
 */
final class RestartPolicies {
    private RestartPolicies() {}

    /** The first wait before a restart; it doubles with each restart, up to {@link #MAX_DELAY}. */
    static final Duration FIRST_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofMinutes(1);
    /** A run at least this long counts as a success: the wait starts again from {@link #FIRST_DELAY}. */
    static final Duration STABLE_RUN = Duration.ofSeconds(10);

    /** Refuses what Docker refuses at create, with Docker's messages. */
    static void validate(RestartPolicy p, boolean autoRemove) {
        String name = p == null || p.name() == null ? "" : p.name();
        int max = p == null ? 0 : p.maximumRetryCount();
        switch (name) {
            case "always", "unless-stopped", "no" -> {
                if (max != 0) {
                    throw EngineException.invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'%s",
                            max < 0 ? " and cannot be negative" : "");
                }
            }
            case "on-failure" -> {
                if (max < 0) throw EngineException.invalid("invalid restart policy: maximum retry count cannot be negative");
            }
            case "" -> { } // what clients before Docker 25 sent for "no"
            default -> throw EngineException.invalid(
                    "invalid restart policy: unknown policy '%s'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'", name);
        }
        if (autoRemove && restarts(p)) {
            throw EngineException.invalid("can't create 'AutoRemove' container with restart policy");
        }
    }

    /** Whether the policy ever restarts anything. */
    static boolean restarts(RestartPolicy p) {
        return p != null && p.name() != null && !p.name().isEmpty() && !p.name().equals("no");
    }

    /**
     * Whether a container that exited with {@code exitCode} is started again.
     *
     * @param manuallyStopped the user stopped or killed it (recorded across daemon restarts)
     * @param restartCount    restarts since the user last started it
     */
    static boolean shouldRestart(RestartPolicy p, int exitCode, boolean manuallyStopped, int restartCount) {
        if (!restarts(p)) return false;
        return switch (p.name()) {
            case "always" -> true;
            case "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> exitCode != 0 && (p.maximumRetryCount() == 0 || restartCount < p.maximumRetryCount());
            default -> false;
        };
    }

    /** The wait before the next restart, given the previous wait (null for none yet) and how long the run lasted. */
    static Duration nextDelay(Duration previous, Duration ran) {
        if (previous == null || ran.compareTo(STABLE_RUN) >= 0) return FIRST_DELAY;
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    }
}
