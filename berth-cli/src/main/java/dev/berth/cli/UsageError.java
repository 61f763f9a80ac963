package dev.berth.cli;

/** The user asked for something the command cannot do; printed as Docker prints flag errors, exit 125. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }
}
