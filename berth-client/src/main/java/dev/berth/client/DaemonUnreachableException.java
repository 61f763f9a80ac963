package dev.berth.client;

/** No daemon answers at the host: the socket is missing, refuses connections, or the connection broke. */
public final class DaemonUnreachableException extends RuntimeException {
    private final DaemonHost host;

    public DaemonUnreachableException(DaemonHost host, Throwable cause) {
        this(host, cause, false);
    }

    /** With {@code overTls}, a connection that broke after the TLS handshake: the daemon refused our certificate. */
    public DaemonUnreachableException(DaemonHost host, Throwable cause, boolean overTls) {
        super(message(host, cause, overTls), cause);
        this.host = host;
    }

    /** A TLS failure is not a missing daemon: say what TLS said, as the Docker CLI does. */
    private static String message(DaemonHost host, Throwable cause, boolean overTls) {
        if (cause instanceof javax.net.ssl.SSLException || cause instanceof java.security.cert.CertificateException) {
            return "error during connect: " + host + ": tls: " + cause.getMessage();
        }
        if (overTls) {
            // TLS 1.3 ends the handshake before the daemon checks our certificate; its refusal arrives as a closed
            // connection on the first write.
            return "error during connect: " + host + ": the daemon closed the TLS connection (" + cause.getMessage()
                    + "): it may require a client certificate signed by its CA (--tlscert, --tlskey)";
        }
        return "Cannot connect to the Berth daemon at " + host + ". Is the daemon running?";
    }

    public DaemonHost host() {
        return host;
    }
}
