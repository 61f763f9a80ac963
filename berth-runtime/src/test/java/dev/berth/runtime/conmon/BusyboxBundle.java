package dev.berth.runtime.conmon;

import dev.berth.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI bundle around the host's static busybox: {@code rootfs/bin/busybox} with applet symlinks, and a minimal
 * config.json (pid, ipc, uts and mount namespaces; proc, dev, devpts and sys mounts; no user namespace) whose
 * cgroup is {@code /berth-test/<id>}.
 */
final class BusyboxBundle {
    private BusyboxBundle() {}

    static final String CGROUP_PARENT = "berth-test";
    private static final List<String> APPLETS = List.of("sh", "echo", "sleep", "cat", "true", "false", "stty");

    /** Options beyond the process arguments. */
    record Options(boolean terminal, Long memoryLimitBytes) {
        static Options defaults() { return new Options(false, null); }
    }

    static Path create(Path bundle, String id, List<String> args) throws IOException {
        return create(bundle, id, args, Options.defaults());
    }

    static Path create(Path bundle, String id, List<String> args, Options options) throws IOException {
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        for (String dir : List.of("proc", "dev", "sys", "tmp")) Files.createDirectories(bundle.resolve("rootfs").resolve(dir));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : APPLETS) Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        Files.write(bundle.resolve("config.json"), Json.write(config(id, args, options)));
        return bundle;
    }

    private static Map<String, Object> config(String id, List<String> args, Options options) {
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", options.terminal());
        process.put("user", Map.of("uid", 0, "gid", 0));
        process.put("args", args);
        process.put("env", List.of("PATH=/bin", "TERM=xterm"));
        process.put("cwd", "/");
        process.put("noNewPrivileges", true);

        List<Map<String, Object>> mounts = new ArrayList<>();
        mounts.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(mount("/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")));
        mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));

        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", List.of(Map.of("type", "pid"), Map.of("type", "ipc"), Map.of("type", "uts"),
                Map.of("type", "mount")));
        linux.put("cgroupsPath", "/" + CGROUP_PARENT + "/" + id);
        if (options.memoryLimitBytes() != null) {
            // Memory and memory+swap alike, so that the limit cannot be dodged by swapping.
            linux.put("resources", Map.of("memory",
                    Map.of("limit", options.memoryLimitBytes(), "swap", options.memoryLimitBytes())));
        }

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ociVersion", "1.0.2");
        config.put("process", process);
        config.put("root", Map.of("path", "rootfs", "readonly", false));
        config.put("hostname", "berth-test");
        config.put("mounts", mounts);
        config.put("linux", linux);
        return config;
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        return Map.of("destination", destination, "type", type, "source", source, "options", options);
    }
}
