package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerServiceTest {
    @TempDir
    Path tmp;

    private static ContainerSpec ttySpec() {
        return new ContainerSpec("busybox", List.of("sh"), null, null, null, null, null, null, null, null, null,
                true, true, true, ContainerSpec.HostSettings.DEFAULT);
    }

    @Test
    void resize_whenRunningWithTty_resizesTheTask() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("term", ttySpec());
        f.service.start(c.id());
        f.service.resize("term", 100, 40);
        assertThat(f.runtime.calls).contains("resize " + c.id() + " 100x40");
    }

    @Test
    void resize_whenNotRunning_isAConflict() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("term", ttySpec());
        assertThatThrownBy(() -> f.service.resize(c.id(), 80, 24))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Container " + c.id() + " is not running");
    }

    @Test
    void resize_withoutTty_isAcceptedAndIgnored() {
        var f = new ServiceFixture(tmp);
        var c = f.service.create("plain", ServiceFixture.spec(List.of("sleep", "9")));
        f.service.start(c.id());
        f.service.resize(c.id(), 80, 24);
        assertThat(f.runtime.calls).noneMatch(call -> call.startsWith("resize"));
    }
}
