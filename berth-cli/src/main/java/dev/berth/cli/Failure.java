package dev.berth.cli;

/**
 * Ends a command with an exit status: a container's own exit code (no message), or an error already worded for
 * the user (printed to stderr as is).
 */
final class Failure extends RuntimeException {
    final int code;

    Failure(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static Failure exit(int code) {
        return new Failure(code, null);
    }
}
