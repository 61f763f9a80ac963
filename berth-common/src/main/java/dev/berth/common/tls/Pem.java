package dev.berth.common.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates and private keys in PEM files as Docker users make them with openssl: certificates (a chain is several
 * blocks), and RSA, EC or Ed25519 keys as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}, possibly after an {@code EC PARAMETERS} block). The JDK reads PKCS#8 only; the other two
 * are wrapped into PKCS#8 here, which is a few bytes of DER, rather than pulling in a crypto library.
 */
public final class Pem {
    private Pem() {}

    private record Block(String type, byte[] der) {}

    /** The certificates in {@code file}, in order; a file without one is refused. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        var out = new ArrayList<X509Certificate>();
        try {
            var factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new IOException(file + ": no PEM certificate found");
        return out;
    }

    /** The private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            byte[] pkcs8 = switch (b.type()) {
                case "PRIVATE KEY" -> b.der();
                case "RSA PRIVATE KEY" -> Der.pkcs8(Der.RSA_ALGORITHM, b.der());
                case "EC PRIVATE KEY" -> Der.pkcs8(Der.ecAlgorithm(b.der()), b.der());
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + ": encrypted private keys are not supported");
                default -> null;
            };
            if (pkcs8 == null) continue;
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                } catch (GeneralSecurityException notThisAlgorithm) {
                    // try the next
                }
            }
            throw new IOException(file + ": unsupported private key (RSA, EC and Ed25519 keys are supported)");
        }
        throw new IOException(file + ": no PEM private key found");
    }

    /** Whether {@code key} is the private half of {@code cert}'s public key: it signs, the certificate verifies. */
    public static boolean matches(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "berth key check".getBytes(StandardCharsets.US_ASCII);
            var signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            var verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        var out = new ArrayList<Block>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) break;
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) break;
            String type = text.substring(begin + 11, typeEnd);
            String endMarker = "-----END " + type + "-----";
            int end = text.indexOf(endMarker, typeEnd);
            if (end < 0) throw new IOException(file + ": PEM block " + type + " has no end");
            String body = text.substring(typeEnd + 5, end);
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                throw new IOException(file + ": encrypted private keys are not supported");
            }
            try {
                out.add(new Block(type, Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": bad base64 in PEM block " + type, e);
            }
            at = end + endMarker.length();
        }
        return out;
    }

    /** Just enough DER to wrap a PKCS#1 or SEC1 key into PKCS#8's PrivateKeyInfo. */
    static final class Der {
        private Der() {}

        /** AlgorithmIdentifier { rsaEncryption, NULL }. */
        static final byte[] RSA_ALGORITHM = sequence(
                bytes(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01), bytes(0x05, 0x00));
        /** The OID id-ecPublicKey, 1.2.840.10045.2.1. */
        static final byte[] EC_PUBLIC_KEY = bytes(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);

        /** PrivateKeyInfo { version 0, algorithm, OCTET STRING key }. */
        static byte[] pkcs8(byte[] algorithm, byte[] key) {
            return sequence(bytes(0x02, 0x01, 0x00), algorithm, tlv(0x04, key));
        }

        /** AlgorithmIdentifier { id-ecPublicKey, curve } with the curve named in SEC1's {@code [0] parameters}. */
        static byte[] ecAlgorithm(byte[] sec1) throws IOException {
            var outer = new Reader(sec1, 0);
            if (outer.tag != 0x30) throw new IOException("EC PRIVATE KEY: not a DER sequence");
            int at = outer.contentStart;
            while (at < outer.end) {
                var field = new Reader(sec1, at);
                if (field.tag == 0xa0) {
                    var oid = new Reader(sec1, field.contentStart);
                    if (oid.tag != 0x06) break;
                    byte[] curve = java.util.Arrays.copyOfRange(sec1, field.contentStart, oid.end);
                    return sequence(EC_PUBLIC_KEY, curve);
                }
                at = field.end;
            }
            throw new IOException("EC PRIVATE KEY without a named curve");
        }

        private static byte[] sequence(byte[]... parts) {
            var content = new ByteArrayOutputStream();
            for (byte[] p : parts) content.writeBytes(p);
            return tlv(0x30, content.toByteArray());
        }

        private static byte[] tlv(int tag, byte[] content) {
            var out = new ByteArrayOutputStream();
            out.write(tag);
            int n = content.length;
            if (n < 0x80) {
                out.write(n);
            } else {
                int octets = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
                out.write(0x80 | octets);
                for (int i = octets - 1; i >= 0; i--) out.write(n >>> (8 * i));
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        private static byte[] bytes(int... values) {
            byte[] b = new byte[values.length];
            for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
            return b;
        }

        /** One TLV's tag and bounds. */
        private static final class Reader {
            final int tag;
            final int contentStart;
            final int end;

            Reader(byte[] der, int at) throws IOException {
                if (at + 2 > der.length) throw new IOException("truncated DER");
                tag = der[at] & 0xff;
                int len = der[at + 1] & 0xff;
                int pos = at + 2;
                if (len >= 0x80) {
                    int octets = len & 0x7f;
                    if (octets == 0 || octets > 4 || pos + octets > der.length) throw new IOException("bad DER length");
                    len = 0;
                    for (int i = 0; i < octets; i++) len = (len << 8) | (der[pos++] & 0xff);
                }
                contentStart = pos;
                end = pos + len;
                if (end > der.length || len < 0) throw new IOException("truncated DER");
            }
        }
    }
}
