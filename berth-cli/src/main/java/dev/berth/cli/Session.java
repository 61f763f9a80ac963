package dev.berth.cli;

import dev.berth.client.ClientTls;
import dev.berth.client.DaemonHost;
import dev.berth.client.EngineClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** What every command of one CLI invocation shares: the streams, the environment and the daemon client. */
final class Session {
    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    String hostFlag;
    ClientTls.Flags tlsFlags = new ClientTls.Flags(null, null, null, null, null);
    private EngineClient client;

    Session(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    EngineClient client() {
        if (client == null) {
            try {
                ClientTls tls = ClientTls.resolve(tlsFlags, env);
                client = new EngineClient(DaemonHost.resolve(hostFlag, env, tls != null), tls);
            } catch (IllegalArgumentException badHostOrTls) {
                throw new UsageError(badHostOrTls.getMessage());
            }
        }
        return client;
    }
}
