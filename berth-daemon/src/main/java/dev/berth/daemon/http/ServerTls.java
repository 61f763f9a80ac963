package dev.berth.daemon.http;

import dev.berth.common.tls.Pem;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS side of the tcp listeners, as dockerd's {@code --tls}/{@code --tlsverify}: the server's certificate and key
 * from PEM files, and with {@code verify} a client must present a certificate signed by the CA, or the handshake
 * fails and it gets nothing. TLS 1.2 and 1.3 only, as dockerd.
 */
public final class ServerTls {
    private ServerTls() {}

    /**
     * The context for {@code cert} and {@code key}, requiring client certificates signed by {@code caCert} when
     * {@code verify}. A file that cannot be read, or a key that is not the certificate's, is refused here, before the
     * daemon listens.
     */
    public static SslContext context(Path cert, Path key, boolean verify, Path caCert) {
        try {
            List<X509Certificate> chain = read("certificate", cert, () -> Pem.certificates(cert));
            PrivateKey privateKey = read("key", key, () -> Pem.privateKey(key));
            if (!Pem.matches(privateKey, chain.getFirst())) {
                throw new IllegalStateException("could not load TLS certificate and key: private key " + key
                        + " does not match public key in certificate " + cert);
            }
            var builder = SslContextBuilder.forServer(privateKey, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (verify) {
                List<X509Certificate> cas = read("CA certificate", caCert, () -> Pem.certificates(caCert));
                builder.trustManager(cas.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("could not set up TLS: " + e.getMessage(), e);
        }
    }

    private interface PemRead<T> {
        T read() throws IOException;
    }

    private static <T> T read(String what, Path file, PemRead<T> reader) {
        try {
            return reader.read();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("could not load TLS " + what + ": open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new IllegalStateException("could not load TLS " + what + ": " + e.getMessage());
        }
    }
}
