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

    @Test
    void rename_ofAMissingContainer_isNotFound_beforeTheNewNameIsChecked() {
        var f = new ServiceFixture(tmp);
        assertThatThrownBy(() -> f.service.rename("nope", "x"))
                .isInstanceOf(EngineException.NotFound.class)
                .hasMessage("No such container: nope");
    }

    @Test
    void rename_refusals_sayErrorWhenAllocatingNewName() {
        var f = new ServiceFixture(tmp);
        var a = f.service.create("aa", ServiceFixture.spec(List.of("true")));
        var b = f.service.create("bb", ServiceFixture.spec(List.of("true")));
        assertThatThrownBy(() -> f.service.rename("aa", "bb"))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Error when allocating new name: Conflict. The container name \"/bb\" is already in use by container \""
                        + b.id() + "\". You have to remove (or rename) that container to be able to reuse that name.");
        assertThatThrownBy(() -> f.service.rename("aa", "x"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("Error when allocating new name: Invalid container name (x), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> f.service.rename("aa", "/aa"))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("Renaming a container with the same name as its current name");
        assertThat(f.service.get("aa").id()).isEqualTo(a.id());
    }

    @Test
    void rename_movesTheName_andFreesTheOldOne() {
        var f = new ServiceFixture(tmp);
        var a = f.service.create("aa", ServiceFixture.spec(List.of("true")));
        f.service.rename("aa", "cc");
        assertThat(f.service.get("cc").id()).isEqualTo(a.id());
        assertThatThrownBy(() -> f.service.get("aa")).isInstanceOf(EngineException.NotFound.class);
        f.service.create("aa", ServiceFixture.spec(List.of("true")));
        assertThat(f.actions(a.id())).containsExactly("create", "rename");
    }
}
