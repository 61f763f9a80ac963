package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers come back from the store byte for byte, whatever tar dialect they were written in. */
class TarSplitTest {
    @TempDir
    Path root;

    private OverlayLayerStore store;

    @BeforeEach
    void open() {
        store = new OverlayLayerStore(root);
    }

    private byte[] roundTrip(byte[] tar) throws IOException {
        LayerInfo layer;
        try (var pending = store.unpack(new ByteArrayInputStream(tar))) {
            layer = store.commit(pending, null);
        }
        var out = new ByteArrayOutputStream();
        store.writeTar(layer.chainId(), out);
        assertThat(store.tarSize(layer.chainId())).isEqualTo(out.size());
        return out.toByteArray();
    }

    private static byte[] tar(int longFileMode, int recordSize, String... namesAndContents) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var tar = new TarArchiveOutputStream(bytes, recordSize)) {
            tar.setLongFileMode(longFileMode);
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                var e = new TarArchiveEntry(namesAndContents[i]);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void gnuLongNames_posixLongNames_andOddRecordSizes_comeBackIdentical() throws IOException {
        String longName = "dir/" + "x".repeat(150) + "/file";
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
            for (int record : new int[] {512, 10240}) {
                byte[] tar = tar(mode, record, longName, "long\n", "short", "", "big", "y".repeat(70_000));
                assertThat(roundTrip(tar)).as("mode %d record %d", mode, record).isEqualTo(tar);
            }
        }
    }

    @Test
    void trailingBytesAfterTheEndBlocks_areKept() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_POSIX, 512, "a", "1");
        byte[] padded = java.util.Arrays.copyOf(tar, tar.length + 4096);
        assertThat(roundTrip(padded)).isEqualTo(padded);
    }

    @Test
    void aNameWrittenTwice_leavesNoSplit_andSaveSaysWhy() throws IOException {
        byte[] tar = tar(TarArchiveOutputStream.LONGFILE_POSIX, 512, "a", "first", "a", "second");
        LayerInfo layer;
        try (var pending = store.unpack(new ByteArrayInputStream(tar))) {
            layer = store.commit(pending, null);
        }
        assertThatThrownBy(() -> store.tarSize(layer.chainId()))
                .isInstanceOf(EngineException.SystemFailure.class).hasMessageContaining("tar-split")
                .hasMessageContaining("entries that shadow each other")
                .hasMessageContaining("will not help")
                .hasMessageNotContaining("older berth");
    }

    @Test
    void aLayerStoredBeforeTarSplits_saysToImportAgain() throws IOException {
        LayerInfo layer;
        try (var pending = store.unpack(new ByteArrayInputStream(tar(TarArchiveOutputStream.LONGFILE_POSIX, 512, "a", "1")))) {
            layer = store.commit(pending, null);
        }
        // As an older berth left it: the layer's directory without the record.
        java.nio.file.Files.delete(root.resolve("layers").resolve(layer.chainId().substring(7)).resolve("tar-split.gz"));
        assertThatThrownBy(() -> store.writeTar(layer.chainId(), new ByteArrayOutputStream()))
                .isInstanceOf(EngineException.SystemFailure.class)
                .hasMessageContaining("stored by an older berth without its tar-split record")
                .hasMessageContaining("import or load it again")
                .hasMessageNotContaining("shadow");
    }
}
