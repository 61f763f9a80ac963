package dev.berth.cli;

import dev.berth.client.Query;
import picocli.CommandLine.Option;

/** The flags {@code stop} and {@code restart} share: how long to wait, and which signal asks the container to stop. */
final class StopOptions {
    @Option(names = {"-t", "--timeout", "--time"}, paramLabel = "int", description = "Seconds to wait before killing the container")
    Integer timeout;

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    String query() {
        return Query.of().add("t", timeout).add("signal", signal).toString();
    }
}
