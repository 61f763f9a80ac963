package dev.berth.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed templates and failing executions report Go's error texts (checked against Go 1.19). */
class TemplateErrorTest {

    static Stream<Arguments> parseErrors() {
        return Stream.of(
                Arguments.of("undefined function", "{{foo}}", "template: :1: function \"foo\" not defined"),
                Arguments.of("stray brace after a space", "{{ .ID }", "template: :1: unexpected \"}\" in operand"),
                Arguments.of("stray brace after a field", "{{.ID}", "template: :1: bad character U+007D '}'"),
                Arguments.of("unclosed action", "\n\n{{.A", "template: :3: unclosed action"),
                Arguments.of("unclosed action started on an earlier line", "{{.A\n", "template: :2: unclosed action started at :1"),
                Arguments.of("lexical error in an action started earlier", "x\n{{.A\n\n| printf \"%v\" \"\n\"}}",
                        "template: :4: unterminated quoted string in action started at :2"),
                Arguments.of("unclosed paren", "{{.A}}\n{{(.B}}", "template: :2: unclosed left paren"),
                Arguments.of("unexpected right paren", "{{.A)}}", "template: :1: unexpected \")\" in command"),
                Arguments.of("unclosed comment", "{{/* unclosed", "template: :1: unclosed comment"),
                Arguments.of("comment with more in the action", "{{/* x */ .A}}", "template: :1: comment ends before closing delimiter"),
                Arguments.of("unterminated string", "{{\"unterminated}}", "template: :1: unterminated quoted string"),
                Arguments.of("end without a block", "{{end}}", "template: :1: unexpected {{end}}"),
                Arguments.of("else without a block", "{{else}}", "template: :1: unexpected {{else}}"),
                Arguments.of("missing end", "{{if .A}}x", "template: :1: unexpected EOF"),
                Arguments.of("two elses", "{{if 1}}{{else}}{{else}}{{end}}", "template: :1: expected end; found {{else}}"),
                Arguments.of("if without a condition", "{{if}}{{end}}", "template: :1: missing value for if"),
                Arguments.of("break outside range", "{{break}}", "template: :1: {{break}} outside {{range}}"),
                Arguments.of("break in range else", "{{range .L}}{{else}}{{break}}{{end}}", "template: :1: {{break}} outside {{range}}"),
                Arguments.of("constant in a later pipeline stage", "{{.A | \"x\"}}", "template: :1: non executable command in pipeline stage 2"),
                Arguments.of("undefined variable", "{{$x}}", "template: :1: undefined variable \"$x\""),
                Arguments.of("variable out of scope", "{{if true}}{{$y := 2}}{{end}}{{$y}}", "template: :1: undefined variable \"$y\""),
                Arguments.of("too many declarations", "{{$x, $y := 1}}", "template: :1: too many declarations in command"),
                Arguments.of("range declares at most two", "{{range $a, $b, $c := .L}}{{end}}", "template: :1: too many declarations in range"),
                Arguments.of("range declares only variables", "{{range $a, 1}}{{end}}", "template: :1: range can only initialize variables"),
                Arguments.of("field of a constant", "{{\"x\".A}}", "template: :1: unexpected . after term \"\\\"x\\\"\""),
                Arguments.of("integer overflow", "{{99999999999999999999}}", "template: :1: integer overflow: \"99999999999999999999\""),
                Arguments.of("malformed char", "{{'ab'}}", "template: :1: malformed character constant: 'ab'"),
                Arguments.of("template name not a string", "{{template 1}}", "template: :1: unexpected \"1\" in template clause"),
                Arguments.of("redefinition", "{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}",
                        "template: :1: template: multiple definition of template \"a\""),
                // Go 1.23 and later; Go 1.19 says "unexpected <with> in else".
                Arguments.of("else with inside if", "{{if 1}}{{else with 2}}{{end}}", "template: :1: unexpected <with> in input"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parseErrors")
    void parse_whenMalformed_throwsGoMessage(String name, String template, String message) {
        assertThatThrownBy(() -> Template.parse(template))
                .isInstanceOf(TemplateException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> executionErrors() {
        return Stream.of(
                Arguments.of("field of a string", "a\nb {{.X.Y}}", "{\"X\":\"s\"}",
                        "template: :2:6: executing \"\" at <.X.Y>: can't evaluate field Y in type interface {}"),
                Arguments.of("columns count bytes", "héllo {{.X.Y}}", "{\"X\":3}",
                        "template: :1:11: executing \"\" at <.X.Y>: can't evaluate field Y in type interface {}"),
                Arguments.of("field of null", "{{.X.Y}}", "{\"X\":null}",
                        "template: :1:4: executing \"\" at <.X.Y>: nil pointer evaluating interface {}.Y"),
                Arguments.of("arguments to a map field", "{{.A | .B}}", "{}",
                        "template: :1:7: executing \"\" at <.B>: B is not a method but has arguments"),
                Arguments.of("index out of range", "{{index .L 5}}", "{\"L\":[1]}",
                        "template: :1:2: executing \"\" at <index .L 5>: error calling index: index out of range: 5"),
                Arguments.of("index of nil", "{{index .Missing 1}}", "{}",
                        "template: :1:2: executing \"\" at <index .Missing 1>: error calling index: index of untyped nil"),
                Arguments.of("index a map with an int", "{{index .M 1}}", "{\"M\":{\"a\":1}}",
                        "template: :1:2: executing \"\" at <index .M 1>: error calling index: value has type int; should be string"),
                Arguments.of("range over a string", "{{range .S}}x{{end}}", "{\"S\":\"str\"}",
                        "template: :1:8: executing \"\" at <.S>: range can't iterate over str"),
                Arguments.of("undefined template", "{{define \"x\"}}{{end}}{{template \"y\"}}", "{}",
                        "template: :1:32: executing \"\" at <{{template \"y\"}}>: template \"y\" not defined"),
                Arguments.of("error inside a defined template", "{{template \"a\" .}}{{define \"a\"}}{{.Foo.Bar}}{{end}}",
                        "{\"Foo\":\"x\"}",
                        "template: :1:38: executing \"a\" at <.Foo.Bar>: can't evaluate field Bar in type interface {}"),
                Arguments.of("wrong number of args", "{{join .X}}", "{\"X\":[\"a\"]}",
                        "template: :1:2: executing \"\" at <join>: wrong number of args for join: want 2 got 1"),
                Arguments.of("number where a string is expected", "{{upper 1}}", "{}",
                        "template: :1:8: executing \"\" at <1>: expected string; found 1"),
                Arguments.of("int field where a string is expected", "{{upper .N}}", "{\"N\":1}",
                        "template: :1:8: executing \"\" at <.N>: wrong type for value; expected string; got int"),
                Arguments.of("missing value where a string is expected", "{{upper .Missing}}", "{}",
                        "template: :1:8: executing \"\" at <.Missing>: invalid value; expected string"),
                Arguments.of("string piped where a list is expected", "{{.X | join \",\"}}", "{\"X\":\"s\"}",
                        "template: :1:12: executing \"\" at <\",\">: can't handle \",\" for arg of type []string"),
                Arguments.of("comparing a map", "{{lt .M 1}}", "{\"M\":{}}",
                        "template: :1:2: executing \"\" at <lt .M 1>: error calling lt: invalid type for comparison"),
                // Current Go names the types; Go 1.19 stops after "comparison".
                Arguments.of("comparing float and int", "{{eq .F 1}}", "{\"F\":1.5}",
                        "template: :1:2: executing \"\" at <eq .F 1>: error calling eq: incompatible types for comparison: float64 and int"),
                Arguments.of("len of an int", "{{len 3}}", "{}",
                        "template: :1:2: executing \"\" at <len 3>: error calling len: len of type int"),
                Arguments.of("len of null", "{{len .Null}}", "{\"Null\":null}",
                        "template: :1:2: executing \"\" at <len .Null>: error calling len: len of nil pointer"),
                Arguments.of("and without arguments", "{{and}}", "{}",
                        "template: :1:2: executing \"\" at <and>: wrong number of args for and: want at least 1 got 0"),
                Arguments.of("argument to a non-function", "{{1 2}}", "{}",
                        "template: :1:2: executing \"\" at <1>: can't give argument to non-function 1"),
                Arguments.of("nil as a command", "{{nil}}", "{}",
                        "template: :1:2: executing \"\" at <nil>: nil is not a command"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("executionErrors")
    void execute_whenItFails_throwsGoMessage(String name, String template, String json, String message) {
        Template t = Template.parse(template);
        Object data = JsonData.parse(json);
        assertThatThrownBy(() -> t.execute(data))
                .isInstanceOf(TemplateException.class)
                .hasMessage(message);
    }

    @Test
    void execute_withMissingKeyError_namesTheMissingKey() {
        Template t = Template.parse("{{.A.B}}").withMissingKeyError();

        assertThatThrownBy(() -> t.execute(JsonData.parse("{\"A\":{\"C\":1}}")))
                .hasMessage("template: :1:4: executing \"\" at <.A.B>: map has no entry for key \"B\"");
        assertThatThrownBy(() -> t.execute(null))
                .hasMessage("template: :1:4: executing \"\" at <.A.B>: nil data; no entry for key \"A\"");
    }

    @Test
    void execute_whenItFails_keepsTheOutputWrittenBefore() {
        StringBuilder out = new StringBuilder();

        assertThatThrownBy(() -> Template.parse("a{{.X}}b{{index .L 9}}c").execute(JsonData.parse("{\"X\":1,\"L\":[]}"), out))
                .isInstanceOf(TemplateException.class);
        assertThat(out).hasToString("a1b");
    }

    @Test
    void execute_whenTemplatesRecurseForever_stopsAtTheDepthLimit() {
        Template t = Template.parse("{{define \"r\"}}x{{template \"r\" .}}{{end}}{{template \"r\" .}}");

        assertThatThrownBy(() -> t.execute(null))
                .isInstanceOf(TemplateException.class)
                .hasMessageEndingWith("exceeded maximum template depth (200)");
    }

    @Test
    void parse_whenParenthesesNestTooDeeply_isRefusedLikeGo() {
        String deep = "{{" + "(".repeat(600) + "1" + ")".repeat(600) + "}}";

        assertThatThrownBy(() -> Template.parse(deep)).hasMessage("template: :1: max expression depth exceeded");
    }
}
