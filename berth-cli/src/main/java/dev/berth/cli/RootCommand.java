package dev.berth.cli;

import dev.berth.client.ClientTls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "berth", description = "A self-sufficient runtime for containers",
        synopsisHeading = "Usage:  ", customSynopsis = "berth [OPTIONS] COMMAND")
final class RootCommand extends CliCommand {
    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Daemon socket to connect to (default unix:///var/run/berth.sock)")
    void host(String host) {
        session.hostFlag = host;
    }

    @Option(names = "--tls", arity = "0..1", fallbackValue = "true", description = "Use TLS; implied by --tlsverify")
    void tls(boolean on) {
        var f = session.tlsFlags;
        session.tlsFlags = new ClientTls.Flags(on, f.tlsVerify(), f.caCert(), f.cert(), f.key());
    }

    @Option(names = "--tlsverify", arity = "0..1", fallbackValue = "true", description = "Use TLS and verify the remote")
    void tlsVerify(boolean on) {
        var f = session.tlsFlags;
        session.tlsFlags = new ClientTls.Flags(f.tls(), on, f.caCert(), f.cert(), f.key());
    }

    @Option(names = "--tlscacert", paramLabel = "string", description = "Trust certs signed only by this CA (default \"~/.docker/ca.pem\")")
    void tlsCaCert(String path) {
        var f = session.tlsFlags;
        session.tlsFlags = new ClientTls.Flags(f.tls(), f.tlsVerify(), path, f.cert(), f.key());
    }

    @Option(names = "--tlscert", paramLabel = "string", description = "Path to TLS certificate file (default \"~/.docker/cert.pem\")")
    void tlsCert(String path) {
        var f = session.tlsFlags;
        session.tlsFlags = new ClientTls.Flags(f.tls(), f.tlsVerify(), f.caCert(), path, f.key());
    }

    @Option(names = "--tlskey", paramLabel = "string", description = "Path to TLS key file (default \"~/.docker/key.pem\")")
    void tlsKey(String path) {
        var f = session.tlsFlags;
        session.tlsFlags = new ClientTls.Flags(f.tls(), f.tlsVerify(), f.caCert(), f.cert(), path);
    }

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    boolean debug;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", description = "Set the logging level (debug, info, warn, error, fatal)")
    String logLevel;

    @Option(names = {"-v", "--version"}, description = "Print version information and quit")
    boolean version;

    RootCommand(Session session) {
        super(session);
    }

    @Override
    int run() {
        if (version) {
            session.out.println("Berth version " + VersionCommand.CLIENT_VERSION);
            return 0;
        }
        return usage();
    }
}
