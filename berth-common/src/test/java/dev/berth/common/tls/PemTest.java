package dev.berth.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates made by the openssl CLI, in each form Docker users end up with. */
class PemTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + out);
    }

    /** A key made by {@code keyArgs} into {@code name}.pem and a self-signed certificate for it in {@code name}-cert.pem. */
    private void keyAndCert(String name, String... keyArgs) throws Exception {
        openssl(keyArgs);
        openssl("req", "-x509", "-new", "-key", name + ".pem", "-subj", "/CN=" + name, "-days", "1", "-out", name + "-cert.pem");
    }

    @Test
    void readsEveryKeyForm_andMatchesItsCertificate() throws Exception {
        keyAndCert("rsa1", "genrsa", "-traditional", "-out", "rsa1.pem", "2048");
        keyAndCert("rsa8", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa8.pem");
        keyAndCert("ecsec1", "ecparam", "-name", "prime256v1", "-genkey", "-out", "ecsec1.pem");
        keyAndCert("ec8", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec8.pem");
        keyAndCert("ed", "genpkey", "-algorithm", "ed25519", "-out", "ed.pem");
        assertThat(Files.readString(dir.resolve("rsa1.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ecsec1.pem"))).startsWith("-----BEGIN EC PARAMETERS-----");
        for (String name : List.of("rsa1", "rsa8", "ecsec1", "ec8", "ed")) {
            var key = Pem.privateKey(dir.resolve(name + ".pem"));
            var cert = Pem.certificates(dir.resolve(name + "-cert.pem")).getFirst();
            assertThat(Pem.matches(key, cert)).as(name).isTrue();
        }
        var rsa = Pem.privateKey(dir.resolve("rsa1.pem"));
        assertThat(Pem.matches(rsa, Pem.certificates(dir.resolve("rsa8-cert.pem")).getFirst())).isFalse();
        assertThat(Pem.matches(rsa, Pem.certificates(dir.resolve("ec8-cert.pem")).getFirst())).isFalse();
    }

    @Test
    void aChain_isReadInOrder() throws Exception {
        keyAndCert("a", "genpkey", "-algorithm", "ed25519", "-out", "a.pem");
        keyAndCert("b", "genpkey", "-algorithm", "ed25519", "-out", "b.pem");
        Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("a-cert.pem")) + Files.readString(dir.resolve("b-cert.pem")));
        assertThat(Pem.certificates(dir.resolve("chain.pem"))).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=a", "CN=b");
    }

    @Test
    void filesWithoutTheExpectedBlock_areRefused() throws Exception {
        Files.writeString(dir.resolve("junk.pem"), "hello");
        assertThatThrownBy(() -> Pem.privateKey(dir.resolve("junk.pem"))).isInstanceOf(IOException.class).hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> Pem.certificates(dir.resolve("junk.pem"))).isInstanceOf(IOException.class).hasMessageContaining("no PEM certificate");
        openssl("genpkey", "-algorithm", "ed25519", "-aes256", "-pass", "pass:x", "-out", "enc.pem");
        assertThatThrownBy(() -> Pem.privateKey(dir.resolve("enc.pem"))).hasMessageContaining("encrypted");
    }
}
