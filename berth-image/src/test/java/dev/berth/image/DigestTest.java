package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String FOO = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @Test
    void of_isSha256OfTheBytes() {
        assertThat(Digest.of(new byte[0])).hasToString(EMPTY);
        assertThat(Digest.of("foo".getBytes(StandardCharsets.US_ASCII))).hasToString(FOO);
        assertThat(Digest.parse(FOO).shortId()).isEqualTo("2c26b46b68ff");
    }

    @Test
    void chainId_ofABottomLayer_isItsDiffId_andAboveHashesParentSpaceDiffId() {
        // Expected value from: printf 'sha256:e3b0... sha256:2c26...' | sha256sum
        assertThat(Digest.chainId(null, Digest.parse(FOO))).hasToString(FOO);
        assertThat(Digest.chainId(Digest.parse(EMPTY), Digest.parse(FOO)))
                .hasToString("sha256:fad80c1405b3ffb90795bcffc40d5c212e8e1c853012d008ce7072e1da8f4297");
    }

    @Test
    void parse_refusesOtherAlgorithmsAndBadHex() {
        assertThatThrownBy(() -> Digest.parse("md5:abc")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessage("invalid checksum digest length");
        assertThatThrownBy(() -> Digest.parse(EMPTY.toUpperCase().replace("SHA256", "sha256")))
                .isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> Digest.parse(EMPTY.substring(7))).isInstanceOf(EngineException.InvalidArgument.class);
    }
}
