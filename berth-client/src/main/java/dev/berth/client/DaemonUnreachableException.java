package dev.berth.client;

/** No daemon answers at the host: the socket is missing, refuses connections, or the connection broke. */
public final class DaemonUnreachableException extends RuntimeException {
    private final DaemonHost host;

    public DaemonUnreachableException(DaemonHost host, Throwable cause) {
        super("Cannot connect to the Berth daemon at " + host + ". Is the daemon running?", cause);
        this.host = host;
    }

    public DaemonHost host() {
        return host;
    }
}
