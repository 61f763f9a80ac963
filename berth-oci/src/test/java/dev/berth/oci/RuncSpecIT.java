package dev.berth.oci;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a spec from {@link OciSpecs#build} with the real runc: the container must come up with Docker's default
 * capabilities, as root, with the seccomp filter on and the nofile limit we asked for. Needs root, runc and a static
 * /bin/busybox; fails loudly without them.
 */
class RuncSpecIT {

    @TempDir
    Path dir;

    private final String id = "berth-oci-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @AfterEach
    void deleteContainer() throws Exception {
        run(List.of("runc", "--root", dir.resolve("state").toString(), "delete", "--force", id));
    }

    @Test
    void runc_runsTheSpec_withDockersDefaultCapabilitiesAsRoot() throws Exception {
        var bundle = Files.createDirectories(dir.resolve("bundle"));
        var rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        for (var applet : List.of("sh", "cat", "grep", "id")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:root\n");
        var hostname = Files.writeString(bundle.resolve("hostname"), "berth-it\n");

        var options = SpecOptions.builder()
                .args("sh", "-c", "cat /proc/self/status | grep -E 'CapEff|Seccomp:'; id; cat /etc/hostname; "
                        + "ulimit -n; echo $HOME")
                .rootfs(rootfs)
                .hostname("berth-it")
                .cgroupsPath("/" + id)
                .addMount(BindMount.of(hostname, "/etc/hostname", true))
                .build();
        Files.write(bundle.resolve("config.json"), OciSpecs.toJson(OciSpecs.build(options)));

        var result = run(List.of("runc", "--root", dir.resolve("state").toString(), "run", "--bundle",
                bundle.toString(), id));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().lines()).contains(
                "CapEff:\t00000000a80425fb",
                "Seccomp:\t2",
                "berth-it",
                String.valueOf(Math.min(OciSpecs.DEFAULT_NOFILE, HostInfo.current().openFilesHardLimit())),
                "/root");
        assertThat(result.output()).contains("uid=0(root) gid=0(root)");
    }

    private record Result(int exitCode, String output) {}

    /** Output goes to a file so a hung runc cannot block us past the timeout. */
    private Result run(List<String> command) throws Exception {
        var log = Files.createTempFile(dir, "runc", ".log");
        var process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
