package dev.berth.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageRefTest {
    private static final String HEX = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # typed                               | full name                               | familiar name              | tag     | shown
            busybox                               | docker.io/library/busybox               | busybox                    | latest  | busybox:latest
            busybox:1.36                          | docker.io/library/busybox               | busybox                    | 1.36    | busybox:1.36
            library/busybox                       | docker.io/library/busybox               | busybox                    | latest  | busybox:latest
            docker.io/busybox                     | docker.io/library/busybox               | busybox                    | latest  | busybox:latest
            index.docker.io/library/busybox:x     | docker.io/library/busybox               | busybox                    | x       | busybox:x
            user/app                              | docker.io/user/app                      | user/app                   | latest  | user/app:latest
            docker.io/user/app:v_1.0-rc           | docker.io/user/app                      | user/app                   | v_1.0-rc| user/app:v_1.0-rc
            myreg:5000/x/y                        | myreg:5000/x/y                          | myreg:5000/x/y             | latest  | myreg:5000/x/y:latest
            example.com/team/tool:1.0             | example.com/team/tool                   | example.com/team/tool      | 1.0     | example.com/team/tool:1.0
            localhost/app                         | localhost/app                           | localhost/app              | latest  | localhost/app:latest
            localhost:5000/app:2                  | localhost:5000/app                      | localhost:5000/app         | 2       | localhost:5000/app:2
            Registry/app                          | Registry/app                            | Registry/app               | latest  | Registry/app:latest
            [::1]:5000/app                        | [::1]:5000/app                          | [::1]:5000/app             | latest  | [::1]:5000/app:latest
            a/b/c/d                               | docker.io/a/b/c/d                       | a/b/c/d                    | latest  | a/b/c/d:latest
            my-app__x.y                           | docker.io/library/my-app__x.y           | my-app__x.y                | latest  | my-app__x.y:latest
            docker.io/library/a/b                 | docker.io/library/a/b                   | library/a/b                | latest  | library/a/b:latest
            sha256:abc                            | docker.io/library/sha256                | sha256                     | abc     | sha256:abc
            """)
    void parse_normalizesLikeDocker(String typed, String fullName, String familiarName, String tag, String shown) {
        var ref = ImageRef.parse(typed);
        assertThat(ref.fullName()).isEqualTo(fullName);
        assertThat(ref.familiarName()).isEqualTo(familiarName);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.toString()).isEqualTo(shown);
        assertThat(ref.hasDigest()).isFalse();
    }

    @Test
    void parse_digestReference_hasNoDefaultTag() {
        var ref = ImageRef.parse("busybox@sha256:" + HEX);
        assertThat(ref.tag()).isNull();
        assertThat(ref.digest()).isEqualTo("sha256:" + HEX);
        assertThat(ref.toString()).isEqualTo("busybox@sha256:" + HEX);

        var both = ImageRef.parse("example.com/app:1@sha256:" + HEX);
        assertThat(both.tag()).isEqualTo("1");
        assertThat(both.toString()).isEqualTo("example.com/app:1@sha256:" + HEX);
    }

    @Test
    void sameImageNamedDifferently_isEqual() {
        assertThat(ImageRef.parse("busybox")).isEqualTo(ImageRef.parse("docker.io/library/busybox:latest"));
        assertThat(ImageRef.parse("busybox")).isNotEqualTo(ImageRef.parse("busybox:1"));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', textBlock = """
            ''                          | invalid reference format
            Busybox                     | invalid reference format: repository name (library/Busybox) must be lowercase
            Bad/Name                    | invalid reference format: repository name (Name) must be lowercase
            user/App:1                  | invalid reference format: repository name (user/App) must be lowercase
            busybox:                    | invalid reference format
            :latest                     | invalid reference format
            busy box                    | invalid reference format
            busybox:tag:other           | invalid reference format
            busybox:-tag                | invalid reference format
            -busybox                    | invalid reference format
            busybox_                    | invalid reference format
            a//b                        | invalid reference format
            /busybox                    | invalid reference format
            busybox@sha256:abc          | invalid reference format
            busybox@sha256:0123456789abcdef0123456789abcdef | invalid checksum digest length
            0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | invalid repository name (0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef), cannot specify 64-byte hexadecimal strings
            """)
    void parse_refusesWithDockersMessage(String typed, String message) {
        assertThatThrownBy(() -> ImageRef.parse(typed))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage(message);
    }

    @Test
    void parse_refusesOverlongNamesAndTags() {
        assertThatThrownBy(() -> ImageRef.parse("a".repeat(256)))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("repository name must not be more than 255 characters");
        assertThatThrownBy(() -> ImageRef.parse("busybox:" + "t".repeat(129)))
                .hasMessage("invalid reference format");
        assertThat(ImageRef.parse("busybox:" + "t".repeat(128)).tag()).hasSize(128);
    }

    @Test
    void constructor_refusesInvalidParts() {
        assertThatThrownBy(() -> new ImageRef("docker.io", "library/Busybox", "latest", null))
                .isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> new ImageRef("docker.io", "library/busybox", null, null))
                .isInstanceOf(EngineException.InvalidArgument.class);
    }
}
