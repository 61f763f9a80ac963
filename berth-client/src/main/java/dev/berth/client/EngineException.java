package dev.berth.client;

/** The daemon answered with an error status; {@link #getMessage()} is the {@code message} of its JSON body. */
public final class EngineException extends RuntimeException {
    private final int status;

    public EngineException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
