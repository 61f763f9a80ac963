package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerArchiveTest {
    @TempDir Path dir;

    private Path tar(String... names) throws Exception {
        Path f = dir.resolve("t.tar");
        try (var t = new TarArchiveOutputStream(Files.newOutputStream(f))) {
            for (String n : names) {
                var e = new TarArchiveEntry(n);
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
            }
        }
        return f;
    }

    @Test
    void anEntryOnOrUnderAMountBelowTheTarget_isRefusedNamingTheMount() throws Exception {
        assertThatThrownBy(() -> ContainerArchive.refuseEntriesOnMounts(tar("./", "hosts"), "/etc", List.of("/etc/hosts")))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("cannot copy hosts to /etc: /etc/hosts is a mount of the container; copy to /etc/hosts instead");
        assertThatThrownBy(() -> ContainerArchive.refuseEntriesOnMounts(tar("data/", "data/f"), "/", List.of("/data")))
                .hasMessageContaining("/data is a mount of the container");
        assertThatCode(() -> ContainerArchive.refuseEntriesOnMounts(tar("database/f", "hostsfile", "./"), "/etc",
                List.of("/etc/hosts", "/etc/data"))).doesNotThrowAnyException();
        Files.writeString(dir.resolve("junk"), "not a tar");
        assertThatCode(() -> ContainerArchive.refuseEntriesOnMounts(dir.resolve("junk"), "/", List.of("/data")))
                .doesNotThrowAnyException(); // the extraction reports it
    }
}
