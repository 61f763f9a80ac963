package dev.berth.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibcTest {

    @Test
    void getuid_matchesTheKernelsView() throws Exception {
        String uidLine = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertThat(Libc.getuid()).isEqualTo(Integer.parseInt(uidLine.split("\\s+")[1]));
    }

    @Test
    void kill_deliversTheSignal() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "100").start();
        int pid = (int) sleeper.pid();
        assertThat(Libc.isAlive(pid)).isTrue();

        Libc.kill(pid, Signals.SIGTERM);

        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.exitValue()).isEqualTo(128 + Signals.SIGTERM);
        assertThat(Libc.isAlive(pid)).isFalse();
    }

    @Test
    void kill_ofMissingProcess_failsWithStrerrorText() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        int gone = (int) p.pid();

        assertThatThrownBy(() -> Libc.kill(gone, 0))
                .isInstanceOf(SysException.class)
                .hasMessage("kill " + gone + ": No such process")
                .satisfies(e -> assertThat(((SysException) e).errno()).isEqualTo(Libc.ESRCH));
    }

    @Test
    void isAlive_ofThisProcess_isTrue() {
        assertThat(Libc.isAlive((int) ProcessHandle.current().pid())).isTrue();
        assertThat(Libc.isAlive(0)).isFalse();
    }

    @Test
    void strerror_givesLibcText() {
        assertThat(Libc.strerror(Libc.ENOENT)).isEqualTo("No such file or directory");
        assertThat(Libc.strerror(Libc.EPERM)).isEqualTo("Operation not permitted");
    }

    @Test
    void writeFifo_withoutReader_failsInsteadOfBlocking(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("ctl");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertThatThrownBy(() -> Libc.writeFifo(fifo, "1 24 80\n".getBytes()))
                .isInstanceOf(SysException.class)
                .hasMessageContaining("No such device or address");
    }

    @Test
    void writeFifo_withReader_deliversTheBytes(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("ctl");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Process reader = new ProcessBuilder("head", "-n", "1", fifo.toString()).start();
        // The reader opens the FIFO asynchronously; retry until it is there.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                Libc.writeFifo(fifo, "1 24 80\n".getBytes());
                break;
            } catch (SysException e) {
                if (e.errno() != Libc.ENXIO || System.nanoTime() > deadline) throw e;
                Thread.sleep(10);
            }
        }
        assertThat(reader.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(reader.getInputStream().readAllBytes())).isEqualTo("1 24 80\n");
    }
}
