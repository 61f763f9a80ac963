package dev.berth.runtime.conmon;

import dev.berth.common.Json;
import dev.berth.runtime.Runtime.CreateRequest;
import dev.berth.runtime.Runtime.RuntimeFailure;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts one conmon 2.1 per task and waits until it reports the container created.
 *
 * <p>conmon double-forks: the process started here writes the monitor's pid to {@code -P} and exits at once; the
 * grandchild runs {@code runc create} and reports the outcome as one JSON line on the fd named by
 * {@code _OCI_SYNCPIPE}: {@code {"data": <pid>}}, or {@code {"data": -1, "message": "<runc's stderr>"}} (conmon
 * {@code src/parent_pipe_fd.c}, {@code write_sync_fd}). Java passes a child only fds 0-2, so a shell gives conmon a
 * pipe as fd 3 and points conmon's own fd 1 at the stderr pipe (see {@link #RELAY}). conmon prints option errors on
 * stdout and its early failures on stderr; both land in the stderr pipe, which the grandchild lets go of (dup2 of
 * /dev/null) before it runs runc.
 *
 * <p>Why {@code head} relays the line instead of conmon writing to Java's stdout pipe directly: when the direct child
 * exits, the JDK drains what the pipe holds at that moment and closes it (ProcessPipeInputStream.processExited), and
 * conmon's first process exits at once. Unless the reading thread was already blocked in read() by then, a line the
 * grandchild wrote later would be lost (and its write would fail with EPIPE, which conmon dies of): the create would
 * fail with "conmon exited with status 0 without reporting the container", and a runc error in that line would never
 * reach the user. A fresh JVM is slow enough for that on its first create, terminal or not. The shell exits only when
 * {@code head} has passed the line on (or seen every writer go), so the line is in the pipe before the JDK drains it.
 * A pipeline's status is its last command's, so the shell reports a failing conmon's own status on stderr.
 */
final class ConmonLauncher {

    /** Environment a daemon may carry that runc or conmon would act on wrongly for a container. */
    private static final List<String> SCRUBBED_ENV =
            List.of("NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "_OCI_STARTPIPE", "_OCI_ATTACHPIPE");

    /** The shell program around conmon: {@code "$@"} is conmon and its arguments. */
    static final String RELAY = "{ \"$@\" 3>&1 1>&2 || echo \"conmon exited with status $?\" >&2; } | head -n 1";

    private final Path conmon;
    private final Path runc;
    private final StateLayout layout;
    private final List<String> runcGlobalArgs;

    ConmonLauncher(Path conmon, Path runc, StateLayout layout, List<String> runcGlobalArgs) {
        this.conmon = conmon;
        this.runc = runc;
        this.layout = layout;
        this.runcGlobalArgs = List.copyOf(runcGlobalArgs);
    }

    List<String> argv(CreateRequest r) {
        String id = r.id();
        List<String> a = argv(List.of("/bin/sh", "-c", RELAY, "sh"), new Monitor(id, id, r.bundle().toAbsolutePath(),
                layout.containerPidFile(id), layout.conmonPidFile(id), layout.taskDir(id), layout.exits(),
                "k8s-file:" + r.logPath().toAbsolutePath()), r.terminal(), r.stdin());
        if (r.stdin() && r.keepStdinOpen()) a.add("--leave-stdin-open");
        return a;
    }

    /**
     * Where one conmon keeps its task's files: {@code cid} is runc's container id, {@code uid} the name of conmon's
     * attach socket and ctl FIFO (the exec's id for an exec), {@code persistDir} gets the exit file, {@code log} is
     * conmon's {@code -l}.
     */
    record Monitor(String cid, String uid, Path bundle, Path pidFile, Path conmonPidFile, Path persistDir,
                   Path exitDir, String log) {}

    /**
     * The shell command {@code shell} with conmon and the arguments every conmon of this daemon takes (containers'
     * and execs'), the runtime's global arguments, and {@code -t}/{@code -i}; the caller adds its own after.
     */
    List<String> argv(List<String> shell, Monitor m, boolean terminal, boolean stdin) {
        List<String> a = new ArrayList<>(shell);
        a.addAll(List.of(conmon.toString(), "--api-version", "1",
                "-c", m.cid(), "-u", m.uid(), "-n", m.cid(),
                "-r", runc.toString(),
                "-b", m.bundle().toString(),
                "-p", m.pidFile().toString(),
                "-P", m.conmonPidFile().toString(),
                "-0", m.persistDir().toString(),
                "--exit-dir", m.exitDir().toString(),
                "-l", m.log(),
                "--full-attach",
                "--socket-dir-path", layout.sockets().toString(),
                "--log-level", "info"));
        for (String arg : runcGlobalArgs) {
            a.add("--runtime-arg");
            a.add(arg);
        }
        if (terminal) a.add("-t");
        if (stdin) a.add("-i");
        return a;
    }

    /** Runs conmon for {@code r} and returns the container's pid once runc has created it. */
    int launch(CreateRequest r) {
        return awaitCreated(start(r), r.id());
    }

    /** Starts the shell that runs conmon for {@code r}. */
    Process start(CreateRequest r) {
        try {
            // conmon writes "oom" into its working directory as well as the persist dir: keep both in the task's
            return spawn(argv(r), layout.taskDir(r.id()), Map.of());
        } catch (IOException e) {
            throw new RuntimeFailure("cannot start conmon: " + e.getMessage(), e);
        }
    }

    /**
     * Starts {@code argv} (a shell around conmon) in {@code dir} with stdin from /dev/null, the daemon's environment
     * without {@link #SCRUBBED_ENV}, conmon's sync pipe on fd 3, and {@code env} added.
     */
    static Process spawn(List<String> argv, Path dir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> all = pb.environment();
        SCRUBBED_ENV.forEach(all::remove);
        all.put("_OCI_SYNCPIPE", "3");
        all.putAll(env);
        return pb.start();
    }

    /**
     * Reads the outcome of {@link #start}: the container's pid, or a failure carrying runc's or conmon's message.
     * The shell may have exited already; its stdout then holds the line, if there was one.
     */
    int awaitCreated(Process p, String id) {
        CompletableFuture<String> stderr = new CompletableFuture<>();
        Thread.ofVirtual().name("conmon-stderr-" + id).start(() -> stderr.complete(CommandRunner.slurp(p.getErrorStream())));

        String line;
        try (var sync = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            line = sync.readLine(); // one line, or end of file if conmon died without reporting
        } catch (IOException e) {
            throw new RuntimeFailure("reading conmon's sync pipe: " + e.getMessage(), e);
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while starting conmon", e);
        }
        String errors = stderr.join();

        if (line != null && !line.isBlank()) {
            var node = Json.MAPPER.readTree(line);
            int data = node.path("data").asInt(-1);
            if (data > 0) return data;
            String message = node.path("message").asString("");
            throw new RuntimeFailure(RuncClient.errorText(message, "runc create failed for " + id));
        }
        throw new RuntimeFailure(RuncClient.errorText(errors, "conmon ended without reporting the container"));
    }
}
