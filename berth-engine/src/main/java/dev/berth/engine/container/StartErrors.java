package dev.berth.engine.container;

import dev.berth.common.EngineException;

/**
 * How a failed start reaches the user, as Docker does it: a command that is missing exits 127, one that cannot be
 * executed 126 (the Docker CLI derives its own exit status from the same words), and both are the request's fault
 * (400); anything else is the engine's (500).
 */
final class StartErrors {
    private StartErrors() {}

    static int exitCode(String message) {
        if (message == null) return 128;
        if (message.contains("executable file not found") || message.contains("no such file or directory")) return 127;
        if (message.contains("permission denied")) return 126;
        return 128;
    }

    static EngineException translate(String message, Throwable cause) {
        String text = "failed to create task for container: " + (message == null ? cause.toString() : message.strip());
        if (cause instanceof EngineException e && !(cause instanceof EngineException.SystemFailure)) return e;
        return exitCode(message) == 128
                ? new EngineException.SystemFailure(text, cause)
                : new EngineException.InvalidArgument(text, cause);
    }
}
