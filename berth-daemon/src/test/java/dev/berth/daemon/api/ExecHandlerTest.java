package dev.berth.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import org.junit.jupiter.api.Test;

class ExecHandlerTest {
    @Test
    void startBodyLength_isCapped_andAnythingButASmallNumberIsA400() {
        assertThat(ExecHandler.startBodyLength(null)).isZero();
        assertThat(ExecHandler.startBodyLength(" 42 ")).isEqualTo(42);
        assertThat(ExecHandler.startBodyLength(Integer.toString(ExecHandler.MAX_START_BODY))).isEqualTo(1 << 20);
        assertThatThrownBy(() -> ExecHandler.startBodyLength("2147483647"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> ExecHandler.startBodyLength("99999999999999999999"))
                .isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> ExecHandler.startBodyLength("abc"))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid Content-Length: abc");
        assertThatThrownBy(() -> ExecHandler.startBodyLength("-1")).isInstanceOf(EngineException.InvalidArgument.class);
    }
}
