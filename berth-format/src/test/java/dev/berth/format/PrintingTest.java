package dev.berth.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How values print through {{.}} and printf, following Go's fmt (outputs checked against Go). */
class PrintingTest {

    static Stream<Arguments> floats() {
        return Stream.of(
                // %v uses the shortest digits and switches to an exponent below 1e-4 and from 1e21 on... of %g: 1e6.
                Arguments.of(12345678.0, "1.2345678e+07", "12345678"),
                Arguments.of(999999.0, "999999", "999999"),
                Arguments.of(1e6, "1e+06", "1000000"),
                Arguments.of(0.0001, "0.0001", "0.0001"),
                Arguments.of(0.00001, "1e-05", "0.00001"),
                Arguments.of(1e-7, "1e-07", "1e-7"),
                Arguments.of(1e21, "1e+21", "1e+21"),
                Arguments.of(1e20, "1e+20", "100000000000000000000"),
                Arguments.of(-0.0, "-0", "-0"),
                Arguments.of(0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"),
                Arguments.of(5e-324, "5e-324", "5e-324"),
                Arguments.of(1.7976931348623157e308, "1.7976931348623157e+308", "1.7976931348623157e+308"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("floats")
    void float64_printsLikeGo(double value, String printed, String json) {
        Map<String, Object> data = Map.of("F", value);
        assertThat(Template.parse("{{.F}}").execute(data)).isEqualTo(printed);
        assertThat(Template.parse("{{json .F}}").execute(data)).isEqualTo(json);
    }

    static Stream<Arguments> printf() {
        return Stream.of(
                Arguments.of("%.2f|%.0f|%.0f|%.0f", List.of(3.14159, 0.5, 1.5, 2.5), "3.14|0|2|2"),
                Arguments.of("%e|%E|%.3e", List.of(1234.5678, 1e-10, 123456.0), "1.234568e+03|1.000000E-10|1.235e+05"),
                Arguments.of("%g|%.3g|%G|%.0g", List.of(100000.0, 1234567.0, 1e-10, 25.0), "100000|1.23e+06|1E-10|2e+01"),
                Arguments.of("%08.3f|%+.1f|% .2f|%-8.2f|", List.of(-3.14159, 2.0, 2.0, 1.0), "-003.142|+2.0| 2.00|1.00    |"),
                Arguments.of("%5d|%-5d|%05d|%+d|%x|%X|%o|%O|%b|%#x", List.of(42, 42, -42, 7, 255, 255, 8, 8, 5, 255),
                        "   42|42   |-0042|+7|ff|FF|10|0o10|101|0xff"),
                Arguments.of("%.3d|%c|%q|%U|%#U", List.of(7, 65, 97, 9731, 9731), "007|A|'a'|U+2603|U+2603 '☃'"),
                Arguments.of("%s|%5s|%-5s|%.2s|%q|%+q|%x|% x", List.of("go", "go", "go", "golang", "a\"b\n", "é", "hi", "hi"),
                        "go|   go|go   |go|\"a\\\"b\\n\"|\"\\u00e9\"|6869|68 69"),
                Arguments.of("%t|%v|%s|%d", List.of(true, List.of(1, "a"), List.of("x", "y"), List.of(1, 2)),
                        "true|[1 a]|[x y]|[1 2]"),
                Arguments.of("%v|%T|%T|%T", List.of(Map.of("b", 1, "a", 2), "s", 1, 1.5), "map[a:2 b:1]|string|int|float64"),
                Arguments.of("%*d|%-*d|%.*f", List.of(5, 1, 4, 2, 2, 3.14159), "    1|2   |3.14"),
                Arguments.of("%d|%s|%!|%", List.of("x"), "%!d(string=x)|%!s(MISSING)|%!!(MISSING)|%!(NOVERB)"),
                Arguments.of("%05s|%.1q|%-05d|%05t", List.of("ab", "xyz", 7, true), "000ab|\"x\"|7    |0true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("printf")
    void printf_formatsLikeGo(String format, List<Object> args, String expected) {
        assertThat(GoFmt.sprintf(format, args)).isEqualTo(expected);
    }

    @Test
    void printf_reportsNilAndExtraArguments() {
        assertThat(Template.parse("{{printf \"%s|%v|%d\" nil nil .N}}").execute(JsonData.parse("{\"N\":null}")))
                .isEqualTo("%!s(<nil>)|<nil>|%!d(<nil>)");
        assertThat(Template.parse("{{printf \"%d\" 1 \"a\" 2.5}}").execute(null))
                .isEqualTo("1%!(EXTRA string=a, float64=2.5)");
    }

    record Port(String hostIp, int hostPort) {
    }

    @Test
    void record_printsAsAStructAndItsComponentsAreFields() {
        Map<String, Object> data = Map.of("P", new Port("0.0.0.0", 8080));

        assertThat(Template.parse("{{.P}} {{.P.hostPort}} {{printf \"%+v\" .P}} {{json .P}}").execute(data))
                .isEqualTo("{0.0.0.0 8080} 8080 {hostIp:0.0.0.0 hostPort:8080} {\"hostIp\":\"0.0.0.0\",\"hostPort\":8080}");
    }
}
