package dev.berth.client;

import dev.berth.common.tls.Pem;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS towards a tcp daemon, as the Docker CLI sets it up: {@code --tlsverify} (or a non-empty DOCKER_TLS_VERIFY)
 * checks the daemon's certificate against the CA and its name against the host; {@code --tls} alone encrypts without
 * checking the daemon. The client certificate and key are sent when given, or when the default files exist. The
 * files default to {@code $DOCKER_CERT_PATH}, else the config directory ({@code $DOCKER_CONFIG} or {@code ~/.docker}):
 * {@code ca.pem}, {@code cert.pem}, {@code key.pem}.
 */
public final class ClientTls {
    private final SSLContext context;
    private final boolean verify;

    private ClientTls(SSLContext context, boolean verify) {
        this.context = context;
        this.verify = verify;
    }

    /** The TLS flags as given; null where not given. */
    public record Flags(Boolean tls, Boolean tlsVerify, String caCert, String cert, String key) {}

    /** The TLS the flags and environment ask for, or null for none. */
    public static ClientTls resolve(Flags f, Map<String, String> env) {
        boolean verify = f.tlsVerify() != null ? f.tlsVerify() : !env.getOrDefault("DOCKER_TLS_VERIFY", "").isEmpty();
        boolean tls = verify || f.tlsVerify() != null || Boolean.TRUE.equals(f.tls());
        if (!tls) return null;
        Path dir = certPath(env);
        Path ca = f.caCert() != null ? Path.of(f.caCert()) : dir.resolve("ca.pem");
        // Default client files that do not exist are left out, as the Docker CLI does; named ones must exist.
        Path cert = f.cert() != null ? Path.of(f.cert()) : existing(dir.resolve("cert.pem"));
        Path key = f.key() != null ? Path.of(f.key()) : existing(dir.resolve("key.pem"));
        return of(verify, verify ? ca : null, cert, key);
    }

    /** DOCKER_CERT_PATH, else the Docker CLI's config directory (DOCKER_CONFIG, else ~/.docker). */
    static Path certPath(Map<String, String> env) {
        for (String name : new String[] {"DOCKER_CERT_PATH", "DOCKER_CONFIG"}) {
            String dir = env.getOrDefault(name, "");
            if (!dir.isEmpty()) return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".docker");
    }

    private static Path existing(Path p) {
        return Files.exists(p) ? p : null;
    }

    /** A TLS setup trusting {@code ca} (everything when null) and presenting {@code cert}/{@code key} when given. */
    public static ClientTls of(boolean verify, Path ca, Path cert, Path key) {
        try {
            var context = SSLContext.getInstance("TLS");
            context.init(keyManagers(cert, key), verify ? trustManagers(ca) : new TrustManager[] {TRUST_ALL}, null);
            return new ClientTls(context, verify);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("could not set up TLS: " + e.getMessage(), e);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(Path cert, Path key) throws GeneralSecurityException {
        if (cert == null && key == null) return null;
        if (cert == null || key == null) throw new IllegalArgumentException("both --tlscert and --tlskey are needed for a client certificate");
        List<X509Certificate> chain = read(() -> Pem.certificates(cert));
        PrivateKey privateKey = read(() -> Pem.privateKey(key));
        if (!Pem.matches(privateKey, chain.getFirst())) {
            throw new IllegalArgumentException("could not load X509 key pair: private key " + key + " does not match public key in " + cert);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        char[] password = new char[0];
        store.setKeyEntry("client", privateKey, password, chain.toArray(X509Certificate[]::new));
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        return kmf.getKeyManagers();
    }

    private static TrustManager[] trustManagers(Path ca) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int i = 0;
        for (X509Certificate c : read(() -> Pem.certificates(ca))) store.setCertificateEntry("ca" + i++, c);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    private interface PemRead<T> {
        T read() throws IOException;
    }

    private static <T> T read(PemRead<T> r) {
        try {
            return r.read();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("could not read " + e.getFile() + ": no such file or directory");
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** {@code --tls} without verification: the daemon's certificate is not checked (Go's InsecureSkipVerify). */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /** TLS over the connected {@code plain} socket, handshake done; with verification the name must match too. */
    SSLSocket wrap(Socket plain, String host, int port) throws IOException {
        var s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        var params = s.getSSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (verify) params.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }
}
