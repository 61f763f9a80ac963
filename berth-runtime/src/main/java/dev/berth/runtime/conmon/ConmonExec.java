package dev.berth.runtime.conmon;

import dev.berth.runtime.AttachConnection;
import dev.berth.runtime.Runtime.ExecProcess;
import dev.berth.runtime.Runtime.ExecRequest;
import dev.berth.runtime.Runtime.RuntimeFailure;
import dev.berth.sys.Libc;
import dev.berth.sys.SysException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Runs an exec under its own conmon ({@code conmon --exec}, API version 1), as podman does: conmon runs
 * {@code runc exec --detach --process <spec>}, holds the process's stdio behind an attach socket and a ctl FIFO in the
 * exec's directory (the {@code -b} "bundle"), and writes the exit status to {@code <dir>/exit} ({@code -0}).
 *
 * <p>Output from the first byte: with {@code --exec-attach}, conmon's runc child waits for a second read on the
 * start pipe ({@code _OCI_STARTPIPE}; the first read happens before conmon forks) before it runs runc, so the attach
 * socket is connected here first. Java hands a child only fds 0-2, so the start pipe is a FIFO in the exec's
 * directory that the shell opens as fd 5; conmon's "attach socket ready" message ({@code _OCI_ATTACHPIPE}, which
 * {@code --exec-attach} requires) goes to /dev/null, since the socket appearing says the same. The sync line (the
 * pid, or runc's error) is relayed through {@code head} as for a container ({@link ConmonLauncher#RELAY}); conmon's
 * second sync message, the exit status, is read from the exit file instead, which outlives this daemon.
 *
 * <p>Layout: {@code <state>/execs/<exec id>/} holds process.json, start (FIFO), attach, ctl, winsz, pid,
 * conmon.pid and exit; removed by {@link ExecProcess#release()}.
 */
final class ConmonExec implements ExecProcess {
    private static final Logger log = LoggerFactory.getLogger(ConmonExec.class);

    /** How long to wait for conmon to bind the attach socket before giving up on it. */
    private static final long ATTACH_TIMEOUT_MS = 10_000;

    private static final String SCRIPT = "exec 4>/dev/null 5<\"$1\"; shift; " + ConmonLauncher.RELAY;

    private final Path dir;
    private final int pid;
    private final AttachConnection connection;

    private ConmonExec(Path dir, int pid, AttachConnection connection) {
        this.dir = dir;
        this.pid = pid;
        this.connection = connection;
    }

    static Path dirOf(StateLayout layout, String execId) {
        return layout.root().resolve("execs").resolve(StateLayout.checkId(execId));
    }

    static ConmonExec start(StateLayout layout, ConmonLauncher launcher, ExecRequest r) {
        String taskId = StateLayout.checkId(r.taskId());
        Path dir = dirOf(layout, r.execId());
        Path fifo = dir.resolve("start");
        Process shell = null;
        AttachConnection conn = null;
        try (FileChannel start = prepare(dir, fifo, r.processJson())) {
            List<String> argv = launcher.argv(List.of("/bin/sh", "-c", SCRIPT, "sh", fifo.toString()),
                    new ConmonLauncher.Monitor(taskId, r.execId(), dir, dir.resolve("pid"), dir.resolve("conmon.pid"),
                            dir, dir.resolve("exits"), "none"), r.terminal(), r.stdin());
            argv.addAll(List.of("--exec", "--exec-attach", "--exec-process-spec", dir.resolve("process.json").toString()));
            shell = ConmonLauncher.spawn(argv, dir, Map.of("_OCI_ATTACHPIPE", "4", "_OCI_STARTPIPE", "5"));
            start.write(ByteBuffer.wrap(new byte[] {'0'})); // conmon's first read, before it forks
            conn = connectWhenBound(dir.resolve("attach"), shell);
            if (conn != null) start.write(ByteBuffer.wrap(new byte[] {'1'})); // runc may run: the socket catches every byte
        } catch (IOException e) {
            if (conn != null) conn.close();
            if (shell != null) shell.destroyForcibly();
            cleanup(dir);
            throw new RuntimeFailure("cannot start exec " + r.execId() + ": " + e.getMessage(), e);
        }
        try {
            int pid = launcher.awaitCreated(shell, r.execId());
            if (conn == null) throw new RuntimeFailure("conmon reported exec " + r.execId() + " without an attach socket");
            return new ConmonExec(dir, pid, conn);
        } catch (RuntimeFailure e) {
            if (conn != null) conn.close();
            cleanup(dir);
            throw e;
        }
    }

    private static FileChannel prepare(Path dir, Path fifo, byte[] processJson) throws IOException {
        Files.createDirectories(dir.resolve("exits"));
        Files.write(dir.resolve("process.json"), processJson);
        CommandRunner.Result mk = CommandRunner.run(List.of("mkfifo", "-m", "0600", fifo.toString()));
        if (!mk.ok()) throw new IOException("mkfifo " + fifo + ": " + mk.stderr().strip());
        // Read and write: opening a FIFO so never blocks, and the shell's open of the reading end finds a writer.
        return FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Connects once conmon listens on the socket; null if conmon (the relaying shell) ended first. */
    private static AttachConnection connectWhenBound(Path socket, Process shell) throws IOException {
        long deadline = System.currentTimeMillis() + ATTACH_TIMEOUT_MS;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(socket)) {
                try {
                    return ConmonAttachConnection.connect(socket);
                } catch (IOException e) {
                    last = e; // bound but not listening yet
                }
            } else if (!shell.isAlive()) {
                return null; // conmon failed before it bound the socket; its words are in the sync line or on stderr
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for conmon's attach socket", e);
            }
        }
        throw new IOException("conmon did not open " + socket + (last == null ? "" : ": " + last.getMessage()));
    }

    /**
     * Removes what execs left behind when a daemon stopped while they ran: directories whose monitor is gone.
     * Those whose monitor still runs are left to finish (the next sweep takes them).
     */
    static void sweep(StateLayout layout) {
        Path execs = layout.root().resolve("execs");
        if (!Files.isDirectory(execs)) return;
        try (var dirs = Files.list(execs)) {
            for (Path dir : dirs.toList()) {
                if (!monitorAlive(dir.resolve("conmon.pid"))) cleanup(dir);
            }
        } catch (IOException e) {
            log.warn("sweeping {}: {}", execs, e.getMessage());
        }
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public AttachConnection connection() {
        return connection;
    }

    /** conmon's resize message on the ctl FIFO, as for a container. */
    @Override
    public void resize(int width, int height) {
        try {
            Libc.writeFifo(dir.resolve("ctl"), "1 %d %d\n".formatted(height, width).getBytes(StandardCharsets.US_ASCII));
        } catch (SysException e) {
            throw new RuntimeFailure("cannot resize exec: " + e.getMessage(), e);
        }
    }

    /**
     * conmon closes the attach clients, then writes the exit file and exits; the file may lag the end of output by
     * a moment. A monitor that died without writing it (killed) gives 137, as a killed process would.
     */
    @Override
    public int awaitExit() throws InterruptedException {
        Path exit = dir.resolve("exit");
        Path monitorPid = dir.resolve("conmon.pid");
        while (true) {
            try {
                String text = Files.readString(exit, StandardCharsets.US_ASCII).strip();
                if (!text.isEmpty()) return Integer.parseInt(text);
            } catch (NoSuchFileException e) {
                // not yet
            } catch (IOException | NumberFormatException e) {
                throw new RuntimeFailure("cannot read exit of exec in " + dir + ": " + e.getMessage(), e);
            }
            if (!monitorAlive(monitorPid) && !Files.exists(exit)) {
                Thread.sleep(20); // it may have written the file between the two checks
                if (!Files.exists(exit)) return 137;
                continue;
            }
            Thread.sleep(5);
        }
    }

    /** Whether the exec's conmon still runs: the pid in its pid file, if that process is still this conmon. */
    private static boolean monitorAlive(Path pidFile) {
        return ConmonRuntime.monitorPid(pidFile).isPresent();
    }

    @Override
    public void release() {
        connection.close();
        cleanup(dir);
    }

    private static void cleanup(Path dir) {
        try {
            ConmonRuntime.deleteTree(dir);
        } catch (IOException e) {
            log.warn("removing exec state {}: {}", dir, e.getMessage());
        }
    }
}
