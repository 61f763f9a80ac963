package dev.berth.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs iproute2, iptables and nsenter for the network code: one place for exit codes, output and time-outs. */
final class HostCommands {
    private static final Logger log = LoggerFactory.getLogger(HostCommands.class);

    private HostCommands() {}

    /** Runs {@code cmd}; an {@link IOException} with its output when it fails. */
    static void must(List<String> cmd) throws IOException {
        must(cmd, null);
    }

    static void must(List<String> cmd, String stdin) throws IOException {
        var r = exec(cmd, stdin);
        if (r.code != 0) throw new IOException(String.join(" ", cmd) + ": " + r.output.strip());
    }

    /** Runs {@code cmd} and returns its exit code (-1 when it could not run); failures are logged unless quiet. */
    static int run(List<String> cmd, boolean quiet) {
        try {
            var r = exec(cmd, null);
            if (r.code != 0 && !quiet) log.warn("{}: {}", String.join(" ", cmd), r.output.strip());
            return r.code;
        } catch (IOException e) {
            log.warn("{}: {}", String.join(" ", cmd), e.getMessage());
            return -1;
        }
    }

    /** The output of {@code cmd}, or an {@link IOException} when it fails. */
    static String output(List<String> cmd) throws IOException {
        var r = exec(cmd, null);
        if (r.code != 0) throw new IOException(String.join(" ", cmd) + ": " + r.output.strip());
        return r.output;
    }

    record Result(int code, String output) {}

    static Result exec(List<String> cmd, String stdin) throws IOException {
        var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + ": interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
