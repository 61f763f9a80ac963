package dev.berth.cli;

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
                client = new EngineClient(DaemonHost.resolve(hostFlag, env));
            } catch (IllegalArgumentException badHost) {
                throw new UsageError(badHost.getMessage());
            }
        }
        return client;
    }
}
