package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.EngineException;
import dev.berth.engine.container.ContainerSpec.RestartPolicy;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RestartPoliciesTest {

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("unknown name", new RestartPolicy("sometimes", 0), false,
                        "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"),
                Arguments.of("count with always", new RestartPolicy("always", 3), false,
                        "invalid restart policy: maximum retry count can only be used with 'on-failure'"),
                Arguments.of("negative count with no", new RestartPolicy("no", -1), false,
                        "invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be negative"),
                Arguments.of("negative count", new RestartPolicy("on-failure", -1), false,
                        "invalid restart policy: maximum retry count cannot be negative"),
                Arguments.of("with --rm", new RestartPolicy("always", 0), true,
                        "can't create 'AutoRemove' container with restart policy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void validate_refusesWhatDockerRefuses(String name, RestartPolicy p, boolean autoRemove, String message) {
        assertThatThrownBy(() -> RestartPolicies.validate(p, autoRemove))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage(message);
    }

    @Test
    void validate_acceptsEveryPolicy_andTheEmptyNameOfOlderClients() {
        for (var p : new RestartPolicy[] {new RestartPolicy("", 0), new RestartPolicy("no", 0), new RestartPolicy("always", 0),
                new RestartPolicy("unless-stopped", 0), new RestartPolicy("on-failure", 0), new RestartPolicy("on-failure", 5)}) {
            assertThatCode(() -> RestartPolicies.validate(p, false)).doesNotThrowAnyException();
        }
        assertThatCode(() -> RestartPolicies.validate(RestartPolicy.NO, true)).doesNotThrowAnyException();
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of("no", 0, 1, false, 0, false),
                Arguments.of("always", 0, 0, false, 7, true),
                Arguments.of("always, stopped by the user", 0, 137, true, 0, true),
                Arguments.of("unless-stopped", 0, 0, false, 0, true),
                Arguments.of("unless-stopped, stopped by the user", 0, 143, true, 0, false),
                Arguments.of("on-failure, success", 0, 0, false, 0, false),
                Arguments.of("on-failure, failure", 0, 1, false, 100, true),
                Arguments.of("on-failure:2, first retry", 2, 1, false, 1, true),
                Arguments.of("on-failure:2, retries used up", 2, 1, false, 2, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void shouldRestart_followsTheDockerPolicy(String name, int max, int exitCode, boolean manuallyStopped, int count, boolean expected) {
        String policy = name.split("[,:]")[0];
        var p = new RestartPolicy(policy, max);
        assertThat(RestartPolicies.shouldRestart(p, exitCode, manuallyStopped, count)).isEqualTo(expected);
    }

    @Test
    void nextDelay_doublesUpToAMinute_andStartsAgainAfterAStableRun() {
        Duration short_ = Duration.ofSeconds(1);
        assertThat(RestartPolicies.nextDelay(null, short_)).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartPolicies.nextDelay(Duration.ofMillis(100), short_)).isEqualTo(Duration.ofMillis(200));
        assertThat(RestartPolicies.nextDelay(Duration.ofSeconds(40), short_)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RestartPolicies.nextDelay(Duration.ofSeconds(40), Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
    }
}
