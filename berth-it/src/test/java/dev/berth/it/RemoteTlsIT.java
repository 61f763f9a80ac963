package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remote access as dockerd serves it: tcp with TLS and client certificates from a throwaway CA made with openssl
 * here, driven by the real Docker CLI, berth and curl; a client without a valid certificate gets nothing.
 */
class RemoteTlsIT {
    static Path pki;
    static Path clientDir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = Files.createTempDirectory(Path.of("/tmp"), "bitpki");
        clientDir = pki.resolve("client");
        Files.createDirectories(clientDir);
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "1", "-subj", "/CN=berth test CA");
        // The server key in PKCS#1 ("RSA PRIVATE KEY"), as `openssl genrsa` made it before OpenSSL 3.
        openssl("genrsa", "-traditional", "-out", "server-key.pem", "2048");
        sign("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        // The client key in SEC1 ("EC PRIVATE KEY" after "EC PARAMETERS"), as `openssl ecparam -genkey` makes it.
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "client/key.pem");
        sign("client", "ca", "extendedKeyUsage=clientAuth\n");
        Files.copy(pki.resolve("ca.pem"), clientDir.resolve("ca.pem"));
        // A client certificate from a CA the daemon does not trust.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue-ca-key.pem", "-out", "rogue-ca.pem", "-days", "1", "-subj", "/CN=rogue CA");
        openssl("genpkey", "-algorithm", "RSA", "-out", "rogue-key.pem");
        sign("rogue", "rogue-ca", "extendedKeyUsage=clientAuth\n");
        openssl("genpkey", "-algorithm", "RSA", "-out", "other-key.pem");
    }

    /** Signs {@code name}'s key (client/key.pem for the client, else NAME-key.pem) into NAME-cert.pem or client/cert.pem. */
    private static void sign(String name, String ca, String extensions) throws Exception {
        String key = name.equals("client") ? "client/key.pem" : name + "-key.pem";
        String cert = name.equals("client") ? "client/cert.pem" : name + "-cert.pem";
        Files.writeString(pki.resolve(name + ".ext"), extensions);
        openssl("req", "-new", "-key", key, "-subj", "/CN=" + name, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem", "-CAcreateserial",
                "-days", "1", "-extfile", name + ".ext", "-out", cert);
    }

    private static void openssl(String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + out);
    }

    @AfterAll
    static void removeCertificates() throws Exception {
        if (pki != null) Cli.run(List.of("rm", "-rf", pki.toString()), Map.of(), null);
    }

    static int freePort() throws Exception {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String p(String file) {
        return pki.resolve(file).toString();
    }

    /** The Docker CLI with {@code tlsArgs} against {@code tcp}, with a config dir of its own. */
    private static Cli.Result docker(TestDaemon d, String tcp, List<String> tlsArgs, String... args) throws Exception {
        var cmd = new ArrayList<String>(tlsArgs);
        cmd.add("-H");
        cmd.add(tcp);
        cmd.addAll(List.of(args));
        return Cli.run(TestDaemon.dockerCommand(cmd.toArray(String[]::new)), Map.of("DOCKER_CONFIG", d.dir().resolve("docker-config").toString()), null);
    }

    private static Cli.Result berth(Map<String, String> env, byte[] input, String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of(TestDaemon.REPO.resolve("bin/berth").toString()));
        cmd.addAll(List.of(args));
        return Cli.run(cmd, env, input);
    }

    private static Cli.Result curl(String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of("curl", "-s", "--max-time", "10"));
        cmd.addAll(List.of(args));
        return Cli.run(cmd, Map.of(), null);
    }

    @Test
    void tlsverify_servesClientsWithACertificateFromTheCa_andNobodyElse() throws Exception {
        int port = freePort();
        String tcp = "tcp://127.0.0.1:" + port;
        try (var d = new TestDaemon().withFlags("-H", tcp, "--tlsverify", "--tlscacert", p("ca.pem"),
                "--tlscert", p("server-cert.pem"), "--tlskey", p("server-key.pem"))) {
            d.start();
            d.loadBusybox();
            var verified = List.of("--tlsverify", "--tlscacert", p("ca.pem"), "--tlscert", p("client/cert.pem"), "--tlskey", p("client/key.pem"));

            var version = docker(d, tcp, verified, "version");
            assertThat(version.exit()).as(version.toString()).isZero();
            assertThat(version.out()).contains("Server: Berth Engine");
            var run = docker(d, tcp, verified, "run", "--rm", "busybox", "echo", "hi");
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo("hi\n");

            var berthArgs = new ArrayList<String>(verified);
            berthArgs.addAll(List.of("-H", tcp, "run", "--rm", "busybox", "echo", "hi"));
            var berthRun = berth(Map.of(), null, berthArgs.toArray(String[]::new));
            assertThat(berthRun.exit()).as(berthRun.toString()).isZero();
            assertThat(berthRun.out()).isEqualTo("hi\n");

            // DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and DOCKER_HOST, as the Docker CLI reads them; stdin's end crosses TLS.
            var env = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", clientDir.toString(), "DOCKER_HOST", tcp);
            var piped = berth(env, "one\ntwo\n".getBytes(), "run", "-i", "--rm", "busybox", "cat");
            assertThat(piped.exit()).as(piped.toString()).isZero();
            assertThat(piped.out()).isEqualTo("one\ntwo\n");
            var dockerEnv = new HashMap<>(env);
            dockerEnv.put("DOCKER_CONFIG", d.dir().resolve("docker-config").toString());
            var dockerPs = Cli.run(TestDaemon.dockerCommand("ps"), dockerEnv, null);
            assertThat(dockerPs.exit()).as(dockerPs.toString()).isZero();

            // No client certificate, or one from another CA: nothing.
            var noCert = docker(d, tcp, List.of("--tlsverify", "--tlscacert", p("ca.pem")), "version");
            assertThat(noCert.exit()).isNotZero();
            assertThat(noCert.out()).doesNotContain("Berth Engine");
            assertThat(noCert.err()).contains("certificate");
            var rogue = docker(d, tcp, List.of("--tlsverify", "--tlscacert", p("ca.pem"), "--tlscert", p("rogue-cert.pem"),
                    "--tlskey", p("rogue-key.pem")), "version");
            assertThat(rogue.exit()).isNotZero();
            assertThat(rogue.out()).doesNotContain("Berth Engine");
            var berthNoCert = berth(Map.of(), null, "--tlsverify", "--tlscacert", p("ca.pem"), "-H", tcp, "ps");
            assertThat(berthNoCert.exit()).isEqualTo(1);
            assertThat(berthNoCert.out()).isEmpty();
            assertThat(berthNoCert.err()).contains("error during connect").contains("certificate");
            var berthRogue = berth(Map.of(), null, "--tlsverify", "--tlscacert", p("ca.pem"), "--tlscert", p("rogue-cert.pem"),
                    "--tlskey", p("rogue-key.pem"), "-H", tcp, "ps");
            assertThat(berthRogue.exit()).isEqualTo(1);
            assertThat(berthRogue.out()).isEmpty();

            String url = "https://127.0.0.1:" + port + "/_ping";
            var curlNoCert = curl("--cacert", p("ca.pem"), url);
            assertThat(curlNoCert.exit()).isNotZero();
            assertThat(curlNoCert.out()).isEmpty();
            var curlRogue = curl("--cacert", p("ca.pem"), "--cert", p("rogue-cert.pem"), "--key", p("rogue-key.pem"), url);
            assertThat(curlRogue.exit()).isNotZero();
            assertThat(curlRogue.out()).isEmpty();
            // Plain HTTP on the TLS port gets dockerd's (Go's) answer, not an answer from the API.
            var curlPlain = curl("http://127.0.0.1:" + port + "/_ping");
            assertThat(curlPlain.out()).isEqualTo("Client sent an HTTP request to an HTTPS server.\n");
            var dockerPlain = docker(d, tcp, List.of(), "ps");
            assertThat(dockerPlain.exit()).isEqualTo(1);
            assertThat(dockerPlain.err()).contains("Error response from daemon: Client sent an HTTP request to an HTTPS server.");
            assertThat(curl("--cacert", p("ca.pem"), "--cert", p("client/cert.pem"), "--key", p("client/key.pem"), url).out()).isEqualTo("OK");

            // A client that trusts another CA refuses the daemon.
            var wrongCa = docker(d, tcp, List.of("--tlsverify", "--tlscacert", p("rogue-ca.pem"), "--tlscert", p("client/cert.pem"),
                    "--tlskey", p("client/key.pem")), "version");
            assertThat(wrongCa.exit()).isNotZero();
            assertThat(d.docker("info").err()).doesNotContain("without encryption");
        }
    }

    @Test
    void tlsWithoutVerify_fromDaemonJson_encryptsWithoutAskingForACertificate() throws Exception {
        int port = freePort();
        String tcp = "tcp://127.0.0.1:" + port;
        try (var d = new TestDaemon().withConfig("{\"tls\": true, \"tlscert\": \"" + p("server-cert.pem") + "\", \"tlskey\": \""
                + p("server-key.pem") + "\"}").withFlags("-H", tcp)) {
            d.start();
            assertThat(curl("-k", "https://127.0.0.1:" + port + "/_ping").out()).isEqualTo("OK");
            // The Docker CLI loads a CA even with --tls alone (it does not verify with it).
            var version = docker(d, tcp, List.of("--tls", "--tlscacert", p("rogue-ca.pem")), "version");
            assertThat(version.exit()).as(version.toString()).isZero();
            var verified = docker(d, tcp, List.of("--tlsverify", "--tlscacert", p("ca.pem")), "version");
            assertThat(verified.exit()).as(verified.toString()).isZero();
            assertThat(berth(Map.of(), null, "--tls", "-H", tcp, "version").out()).contains("Berth Engine");
        }
    }

    @Test
    void tlsverify_fromDaemonJson_requiresClientCertificatesToo() throws Exception {
        int port = freePort();
        String tcp = "tcp://127.0.0.1:" + port;
        try (var d = new TestDaemon().withConfig("{\"tlsverify\": true, \"tlscacert\": \"" + p("ca.pem") + "\", \"tlscert\": \""
                + p("server-cert.pem") + "\", \"tlskey\": \"" + p("server-key.pem") + "\"}").withFlags("-H", tcp)) {
            d.start();
            String url = "https://127.0.0.1:" + port + "/_ping";
            var noCert = curl("--cacert", p("ca.pem"), url);
            assertThat(noCert.exit()).isNotZero();
            assertThat(noCert.out()).isEmpty();
            assertThat(curl("--cacert", p("ca.pem"), "--cert", p("client/cert.pem"), "--key", p("client/key.pem"), url).out()).isEqualTo("OK");
            var env = Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", clientDir.toString(), "DOCKER_HOST", tcp);
            assertThat(berth(env, null, "version", "--format", "{{.Server.Version}}").exit()).isZero();
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificate_refusesToStart() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bitkey");
        try {
            var r = Cli.run(List.of(TestDaemon.REPO.resolve("bin/berthd").toString(), "-H", "tcp://127.0.0.1:" + freePort(),
                    "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("run").toString(),
                    "--config-file", "/dev/null", "--tlsverify", "--tlscacert", p("ca.pem"), "--tlscert", p("server-cert.pem"),
                    "--tlskey", p("other-key.pem")), Map.of(), null);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("private key " + p("other-key.pem") + " does not match public key in certificate " + p("server-cert.pem"));
            assertThat(dir.resolve("data")).doesNotExist();
            var missing = Cli.run(List.of(TestDaemon.REPO.resolve("bin/berthd").toString(), "--validate", "--config-file", "/dev/null",
                    "--tls", "--tlscert", p("nope.pem")), Map.of(), null);
            assertThat(missing.exit()).isZero(); // --validate checks the configuration, not the files, as dockerd
        } finally {
            Cli.run(List.of("rm", "-rf", dir.toString()), Map.of(), null);
        }
    }

    @Test
    void plainTcp_works_butWarnsLoudly() throws Exception {
        int port = freePort();
        String tcp = "tcp://127.0.0.1:" + port;
        try (var d = new TestDaemon().withFlags("-H", tcp)) {
            d.start();
            assertThat(curl("http://127.0.0.1:" + port + "/_ping").out()).isEqualTo("OK");
            assertThat(d.log()).contains("WITHOUT TLS");
            var info = docker(d, tcp, List.of(), "info");
            assertThat(info.exit()).as(info.toString()).isZero();
            assertThat(info.err()).contains("WARNING: API is accessible on http://127.0.0.1:" + port + " without encryption.");
            var berthInfo = berth(Map.of(), null, "-H", tcp, "info");
            assertThat(berthInfo.exit()).isZero();
            assertThat(berthInfo.err()).contains("WARNING: API is accessible on http://127.0.0.1:" + port + " without encryption.");
        }
    }
}
