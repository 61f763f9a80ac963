package dev.berth.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The busybox root filesystem tar, built once per test run by the same script the README's setup uses. */
final class Busybox {
    private Busybox() {}

    private static Path tar;

    static synchronized Path tar() throws Exception {
        if (tar != null) return tar;
        Path t = Files.createTempFile("busybox-rootfs", ".tar");
        var r = Cli.run(List.of(TestDaemon.REPO.resolve("scripts/busybox-rootfs.sh").toString(), t.toString()), Map.of(), null);
        if (r.exit() != 0) throw new IllegalStateException("busybox-rootfs.sh failed: " + r);
        t.toFile().deleteOnExit();
        tar = t;
        return t;
    }
}
