package dev.berth.cli;

import dev.berth.client.EngineClient;
import dev.berth.client.Query;
import sun.misc.Signal;

/** Passes SIGINT and SIGTERM sent to the CLI on to the container, as {@code docker run --sig-proxy} does. */
final class SignalProxy {
    private SignalProxy() {
    }

    static void forward(EngineClient client, String id) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    try {
                        client.post("/containers/" + id + "/kill" + Query.of().add("signal", "SIG" + name), null);
                    } catch (RuntimeException ignored) {
                        // The container is already gone; its exit ends the CLI.
                    }
                });
            } catch (IllegalArgumentException unavailable) {
                // The JVM reserves the signal (e.g. with -Xrs); leave the default.
            }
        }
    }
}
