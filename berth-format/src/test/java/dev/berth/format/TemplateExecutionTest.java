package dev.berth.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Templates executed over JSON-shaped data, with the output Go's text/template (plus docker/cli's
 * functions) gives for the same template and data. Expected strings were checked against Go 1.19's
 * text/template; the few deliberate departures are marked.
 */
class TemplateExecutionTest {

    private static final String INSPECT = """
            {"Id":"4f66ad9a0b2e","Name":"/web","Args":["-g","daemon off;"],
             "State":{"Status":"running","Running":true,"Pid":4242,"ExitCode":0,"Health":null},
             "Config":{"Image":"nginx:latest","Env":["PATH=/usr/bin","A=<b>&c"],
                       "Labels":{"a.b":"yes","com.example":"x"}},
             "Mounts":[{"Destination":"/data","RW":true},{"Destination":"/etc/conf","RW":false}],
             "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}],"443/tcp":null}},
             "SizeRw":12345678,"Ratio":0.25,"Big":12345678.0}
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                // fields and printing
                Arguments.of("nested fields", "{{.State.Status}} {{.State.Pid}}", INSPECT, "running 4242"),
                Arguments.of("tab escapes are plain text", "{{.Id}}\t{{.Name}}", INSPECT, "4f66ad9a0b2e\t/web"),
                Arguments.of("missing key prints no value", "{{.Nope}}|{{.State.Nope}}", INSPECT, "<no value>|<no value>"),
                // Departure: Go prints <no value> for a nil map value; Docker's structs hold nil pointers.
                Arguments.of("JSON null prints nil (a nil pointer in Docker's structs)", "{{.State.Health}}", INSPECT, "<nil>"),
                Arguments.of("list prints in brackets", "{{.Args}}", INSPECT, "[-g daemon off;]"),
                Arguments.of("map prints sorted by key", "{{.Config.Labels}}", INSPECT, "map[a.b:yes com.example:x]"),
                Arguments.of("nested values print Go style", "{{.NetworkSettings.Ports}}", INSPECT,
                        "map[443/tcp:<nil> 80/tcp:[map[HostIp:0.0.0.0 HostPort:8080]]]"),
                Arguments.of("integers print whole", "{{.SizeRw}}", INSPECT, "12345678"),
                Arguments.of("a float64 prints with %v", "{{.Ratio}} {{.Big}}", INSPECT, "0.25 1.2345678e+07"),
                Arguments.of("booleans", "{{.State.Running}} {{not .State.Running}}", INSPECT, "true false"),
                Arguments.of("dot prints the data", "{{.}}", "[1,\"a\",{\"k\":\"v\"},[true,false]]", "[1 a map[k:v] [true false]]"),
                Arguments.of("nil data is no value", "{{.}}{{.A}}", "null", "<no value><no value>"),

                // docker's functions
                Arguments.of("json is compact and does not escape HTML", "{{json .Config.Env}}", INSPECT,
                        "[\"PATH=/usr/bin\",\"A=<b>&c\"]"),
                // Departure: Go sorts map[string]interface{} keys; maps here keep the daemon's (struct) order.
                Arguments.of("json of an object keeps its order", "{{json .State}}", INSPECT,
                        "{\"Status\":\"running\",\"Running\":true,\"Pid\":4242,\"ExitCode\":0,\"Health\":null}"),
                Arguments.of("json of a missing key is null", "{{json .Nope}}", INSPECT, "null"),
                Arguments.of("json floats", "{{json .}}", "{\"A\":1e21,\"B\":1e-7,\"C\":1e20,\"D\":0.5}",
                        "{\"A\":1e+21,\"B\":1e-7,\"C\":100000000000000000000,\"D\":0.5}"),
                Arguments.of("json escapes control characters", "{{json .}}", "\"a\\n\\t\\u0001\\\"\"", "\"a\\n\\t\\u0001\\\"\""),
                // Departure: Go rejects []interface{}; a list of strings stands for Docker's typed []string.
                Arguments.of("join", "{{join .Args \",\"}}", INSPECT, "-g,daemon off;"),
                Arguments.of("split", "{{split .Name \"e\"}} {{len (split \"a,,b,\" \",\")}}", INSPECT, "[/w b] 4"),
                Arguments.of("upper lower title", "{{upper .Name}} {{lower \"ABC\"}} {{title \"hello wORLD foo_bar\"}}",
                        INSPECT, "/WEB abc Hello WORLD Foo_bar"),
                Arguments.of("pad leaves empty strings alone", "[{{pad .Name 2 1}}][{{pad \"\" 2 1}}]", INSPECT, "[  /web ][]"),
                Arguments.of("truncate counts bytes", "{{truncate .Id 4}} {{truncate .Id 40}}", INSPECT, "4f66 4f66ad9a0b2e"),

                // builtins
                Arguments.of("index a map", "{{index .Config.Labels \"a.b\"}}", INSPECT, "yes"),
                // Departure: Go gives <no value> for map[string]interface{}; Docker indexes map[string]string.
                Arguments.of("index a string map at a missing key gives empty", "[{{index .Config.Labels \"zz\"}}]", INSPECT, "[]"),
                Arguments.of("index a list and a nested list", "{{index .Mounts 1}} {{index .Args 0}}", INSPECT,
                        "map[Destination:/etc/conf RW:false] -g"),
                Arguments.of("parenthesized pipeline with fields", "{{(index .NetworkSettings.Ports \"80/tcp\")}} {{(index .Mounts 0).Destination}}",
                        INSPECT, "[map[HostIp:0.0.0.0 HostPort:8080]] /data"),
                Arguments.of("len of string, list, map", "{{len .Name}} {{len .Args}} {{len .Config.Labels}} {{len \"héllo\"}}",
                        INSPECT, "4 2 2 6"),
                Arguments.of("slice", "{{slice .Args 1}} {{slice \"hello\" 1 3}}", INSPECT, "[daemon off;] el"),
                Arguments.of("comparisons", "{{eq .State.Status \"running\"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 2.5}}",
                        INSPECT, "true true true true true false"),
                Arguments.of("eq with several candidates", "{{eq .State.Status \"exited\" \"running\"}}", INSPECT, "true"),
                Arguments.of("eq against missing and nil", "{{eq .Nope \"x\"}} {{eq .State.Health nil}}", INSPECT, "false true"),
                Arguments.of("and or return an operand", "{{and 1 0 2}} {{or 0 \"\" 3}} {{and 1 2}}", "{}", "0 3 2"),
                Arguments.of("and stops at the first false operand", "{{and .Nope (index .Nope 1)}}", "{}", "<no value>"),
                Arguments.of("print spaces only between non-strings", "{{print 1 2 \"a\" 3 nil}}|{{println 1 \"b\"}}", "{}",
                        "1 2a3 <nil>|1 b\n"),
                Arguments.of("printf verbs", "{{printf \"%d-%5s-%-4d|%x|%q|%v|%08.3f|%+d|%e|%g\" 42 \"ab\" 7 255 \"q\" .M 3.14159 5 1234.5678 0.000012}}",
                        "{\"M\":{\"k\":[1,2]}}", "42-   ab-7   |ff|\"q\"|map[k:[1 2]]|0003.142|+5|1.234568e+03|1.2e-05"),
                Arguments.of("printf errors are inline", "{{printf \"%d %s\" \"x\"}} {{printf \"%z\" 1}} {{printf \"%d\" 1 2}}", "{}",
                        "%!d(string=x) %!s(MISSING) %!z(int=1) 1%!(EXTRA int=2)"),
                Arguments.of("html js urlquery", "{{html \"<a href='x'>&\"}} {{js \"a'b<>=\"}} {{urlquery \"a b&c/d\"}}", "{}",
                        "&lt;a href=&#39;x&#39;&gt;&amp; a\\'b\\u003C\\u003E\\u003D a+b%26c%2Fd"),

                // control structures
                Arguments.of("range over a list", "{{range .Mounts}}{{.Destination}} {{end}}", INSPECT, "/data /etc/conf "),
                Arguments.of("range with index and element", "{{range $i, $e := .Args}}{{$i}}={{$e}};{{end}}", INSPECT, "0=-g;1=daemon off;;"),
                Arguments.of("range over a map visits sorted keys", "{{range $k, $v := .M}}{{$k}}{{$v}},{{end}}",
                        "{\"M\":{\"b\":2,\"c\":3,\"a\":1}}", "a1,b2,c3,"),
                Arguments.of("range else on empty", "{{range .L}}x{{else}}empty{{end}} {{range .Nope}}x{{else}}none{{end}}",
                        "{\"L\":[]}", "empty none"),
                Arguments.of("break and continue", "{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}",
                        "{\"L\":[1,2,3,4,5]}", "13"),
                Arguments.of("range over an int (Go 1.24)", "{{range $i := 3}}{{$i}}{{end}}", "{}", "012"),
                Arguments.of("dollar is the data inside range", "{{range .Args}}{{$.Name}}{{end}}", INSPECT, "/web/web"),
                Arguments.of("if else", "{{if .State.Running}}up{{else}}down{{end}}", INSPECT, "up"),
                Arguments.of("else if chain", "{{if .A}}a{{else if .B}}b{{else}}c{{end}}", "{\"B\":1}", "b"),
                Arguments.of("with sets dot", "{{with .Config}}{{.Image}}{{end}}", INSPECT, "nginx:latest"),
                Arguments.of("with else on empty", "{{with .Nope}}yes{{else}}no{{end}} {{with $x := .Name}}{{$x}}{{end}}", INSPECT, "no /web"),
                Arguments.of("else with (Go 1.23)", "{{with .Nope}}a{{else with .Name}}{{.}}{{end}}", INSPECT, "/web"),
                Arguments.of("truth of zero values", "{{if 0}}a{{end}}{{if \"\"}}b{{end}}{{if .L}}c{{end}}{{if .M}}d{{end}}{{if 0.5}}e{{end}}",
                        "{\"L\":[],\"M\":{}}", "e"),

                // variables, pipelines, syntax
                Arguments.of("variable declaration", "{{$x := .Name}}{{$x}}", INSPECT, "/web"),
                Arguments.of("variable assignment reaches outer scope", "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "{}", "2"),
                Arguments.of("pipeline passes the value last", "{{.Name | printf \"%s!\"}} {{\"x\" | printf \"%s %s\" \"y\"}}", INSPECT, "/web! y x"),
                Arguments.of("longer pipeline", "{{.Name | len | printf \"%03d\"}}", INSPECT, "004"),
                Arguments.of("trim markers", "a  {{- .X -}}  b", "{\"X\":1}", "a1b"),
                Arguments.of("comments", "a {{/* comment */}} b {{- /* c2 */ -}} c", "{}", "a  bc"),
                Arguments.of("actions may span lines", "{{.A\n| printf \"%v\"}}", "{\"A\":1}", "1"),
                Arguments.of("number literals", "{{1.5}} {{1e6}} {{0x1F}} {{'a'}} {{-7}} {{1_000}} {{0o17}} {{017}}", "{}",
                        "1.5 1e+06 31 97 -7 1000 15 15"),
                Arguments.of("define and template", "{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .A}}", "{\"A\":5}", "[5]"),
                Arguments.of("block", "{{block \"b\" .A}}<{{.}}>{{end}}", "{\"A\":5}", "<5>"),
                Arguments.of("raw strings", "{{printf `%s-%s` \"a\" `b\\n`}}", "{}", "a-b\\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void execute_printsWhatGoPrints(String name, String template, String json, String expected) {
        assertThat(Template.parse(template).execute(JsonData.parse(json))).isEqualTo(expected);
    }
}
