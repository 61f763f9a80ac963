package dev.berth.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoJsonTest {
    @Test
    void indented_matchesGoMarshalIndent() {
        var state = new LinkedHashMap<String, Object>();
        state.put("Status", "exited");
        state.put("ExitCode", 143);
        var m = new LinkedHashMap<String, Object>();
        m.put("Id", "abc");
        m.put("Args", List.of("-c", "x<y"));
        m.put("Empty", List.of());
        m.put("Labels", Map.of());
        m.put("State", state);
        m.put("Ratio", 0.5);
        m.put("Nothing", null);
        assertThat(GoJson.indented(m)).isEqualTo("""
                {
                    "Id": "abc",
                    "Args": [
                        "-c",
                        "x<y"
                    ],
                    "Empty": [],
                    "Labels": {},
                    "State": {
                        "Status": "exited",
                        "ExitCode": 143
                    },
                    "Ratio": 0.5,
                    "Nothing": null
                }""");
    }

    @Test
    void compact_isUnchanged() {
        assertThat(GoJson.compact(Map.of("a", List.of(1, "b\n")))).isEqualTo("{\"a\":[1,\"b\\n\"]}");
    }
}
