package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router = new Router()
            .get("/containers/{id}/json", ex -> { })
            .get("/images/{name*}/json", ex -> { })
            .delete("/images/{name*}", ex -> { });

    @Test
    void match_bindsSegments_andSlashedImageNames() {
        assertThat(router.match("GET", "/containers/abc/json").params()).containsEntry("id", "abc");
        assertThat(router.match("GET", "/images/reg:5000/team/app:1.0/json").params()).containsEntry("name", "reg:5000/team/app:1.0");
        assertThat(router.match("DELETE", "/images/busybox").params()).containsEntry("name", "busybox");
    }

    @Test
    void match_tellsUnknownPathsFromWrongMethods() {
        assertThat(router.match("GET", "/nothing/here")).isNull();
        assertThat(router.match("POST", "/containers/abc/json").route()).isNull();
    }

    @Test
    void apiVersion_splitsAndChecksThePrefix() {
        assertThat(ApiVersion.split("/v1.41/containers/json")).isEqualTo(new ApiVersion.Versioned("1.41", "/containers/json"));
        assertThat(ApiVersion.split("/containers/json").version()).isEqualTo("1.50");
        assertThatThrownBy(() -> ApiVersion.split("/v1.12/info")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("client version 1.12 is too old");
        assertThatThrownBy(() -> ApiVersion.split("/v2.0/info")).hasMessageContaining("too new");
    }
}
