package dev.berth.runtime.conmon;

import dev.berth.runtime.Runtime.RuntimeFailure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a short-lived helper binary to completion and keeps what it printed. */
final class CommandRunner {
    private CommandRunner() {}

    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() { return exitCode == 0; }
    }

    static Result run(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot run " + argv.getFirst() + ": " + e.getMessage(), e);
        }
        // stderr is drained on its own thread so that a chatty command cannot block on a full pipe while we read stdout.
        CompletableFuture<String> stderr = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> stderr.complete(slurp(p.getErrorStream())));
        String stdout = slurp(p.getInputStream());
        try {
            int code = p.waitFor();
            return new Result(code, stdout, stderr.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while running " + argv.getFirst(), e);
        }
    }

    static String slurp(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
