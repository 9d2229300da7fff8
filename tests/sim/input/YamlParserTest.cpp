// parse_yaml: the tree, its positions, and every malformed input refused with its place;
// emit_yaml: text that parses back to the same tree.
#include <doctest/doctest.h>

#include "TestSupport.hpp"
#include "input/YamlEmitter.hpp"
#include "input/YamlParser.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {
// Parses text that must fail; returns the diagnostics.
std::vector<Diagnostic> parse_fails(const std::string& text, const YamlParseOptions& o = {}) {
    Diagnostics d;
    const auto tree = parse_yaml(text, "f.yaml", d, o);
    CHECK_FALSE(tree.has_value());
    CHECK(d.size() >= 1);
    return d.items();
}
}  // namespace

TEST_CASE("the tree keeps order, scalars, quoting and 1-based positions") {
    Diagnostics d;
    const auto t = parse_yaml("b: 1\na:\n  - x\n  - \"2\"\n  - {k: v}\nc:\nd: ~\n", "f.yaml", d);
    REQUIRE(t);
    CHECK(d.empty());
    REQUIRE(t->is_map());
    REQUIRE(t->entries().size() == 4);
    CHECK(t->entries()[0].key == "b");
    CHECK(t->entries()[1].key == "a");
    CHECK(t->entries()[1].key_pos.line == 2);
    CHECK(t->entries()[1].key_pos.column == 1);
    const ConfigNode& b = *t->find("b");
    CHECK(b.is_scalar());
    CHECK(b.text() == "1");
    CHECK_FALSE(b.quoted());
    CHECK(b.pos().file == "f.yaml");
    CHECK(b.pos().line == 1);
    CHECK(b.pos().column == 4);
    const ConfigNode& a = *t->find("a");
    REQUIRE(a.is_sequence());
    REQUIRE(a.items().size() == 3);
    CHECK(a.items()[0].pos().line == 3);
    CHECK(a.items()[0].pos().column == 5);
    CHECK(a.items()[1].quoted());
    CHECK(a.items()[1].text() == "2");
    CHECK(a.items()[2].is_map());
    CHECK(a.items()[2].find("k")->text() == "v");
    // An empty value is null and placed at its key (yaml-cpp would place it on the next line).
    const ConfigNode& c = *t->find("c");
    CHECK(c.is_null());
    CHECK(c.pos().line == 6);
    CHECK(c.pos().column == 1);
    CHECK(t->find("d")->is_null());
}

TEST_CASE("CRLF and lone CR line ends give the same tree and line numbers") {
    const std::string lf = "a: 1\nb:\n  c: \"x\"\n";
    std::string crlf, cr;
    for (const char c : lf) {
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        cr += c == '\n' ? '\r' : c;
    }
    Diagnostics d;
    const auto t1 = parse_yaml(lf, "f.yaml", d);
    const auto t2 = parse_yaml(crlf, "f.yaml", d);
    const auto t3 = parse_yaml(cr, "f.yaml", d);
    REQUIRE(t1);
    REQUIRE(t2);
    REQUIRE(t3);
    CHECK(d.empty());
    CHECK(t2->same_content(*t1));
    CHECK(t3->same_content(*t1));
    CHECK(t3->find("b")->find("c")->pos().line == 3);
    CHECK(t3->find("b")->find("c")->pos().column == 6);
    CHECK(t2->find("b")->find("c")->pos().line == 3);
}

TEST_CASE("anchors and aliases are expanded") {
    Diagnostics d;
    const auto t = parse_yaml("base: &e {exponential: {mean: 2h}}\nother: *e\n", "f.yaml", d);
    REQUIRE(t);
    CHECK(t->find("other")->same_content(*t->find("base")));
    CHECK(t->find("other")->pos().line == 2);
}

TEST_CASE("malformed YAML is refused at its position") {
    SUBCASE("syntax error") {
        const auto ds = parse_fails("name: x\nsimulation:\n  horizon: 1w\n warmup: 1h\n");
        CHECK(ds[0].line == 4);
        CHECK(ds[0].column == 2);
        CHECK(contains(ds[0].message, "YAML syntax error"));
        CHECK(contains(ds[0].message, "indentation"));
    }
    SUBCASE("unclosed flow sequence") {
        const auto ds = parse_fails("a: [1, 2\n");
        CHECK(contains(ds[0].message, "'[' is not closed"));
    }
    SUBCASE("value containing ': '") {
        const auto ds = parse_fails("a: b: c\n");
        CHECK(ds[0].line == 1);
        CHECK(ds[0].column == 5);
        CHECK(contains(ds[0].message, "illegal map value"));
    }
    SUBCASE("tab indentation") {
        const auto ds = parse_fails("a:\n\tb: 1\n");
        CHECK(ds[0].line == 2);
        CHECK(contains(ds[0].message, "tab"));
    }
    SUBCASE("unterminated quoted string followed by a newline (yaml-cpp accepts it)") {
        const auto ds = parse_fails("a: 1\nb: \"52w\nc: 2\n");
        CHECK(ds[0].line == 2);
        CHECK(ds[0].column == 4);
        CHECK(contains(ds[0].message, "unterminated quoted string"));
    }
    SUBCASE("unterminated single-quoted string") {
        const auto ds = parse_fails("a: 'it''s\n");
        CHECK(ds[0].column == 4);
        CHECK(contains(ds[0].message, "unterminated"));
    }
    SUBCASE("two documents") {
        const auto ds = parse_fails("a: 1\n---\nb: 2\n");
        CHECK(ds[0].line == 2);
        CHECK(ds[0].column == 1);
        CHECK(contains(ds[0].message, "second YAML document"));
    }
    SUBCASE("content after the top-level value (yaml-cpp reads it as a second document)") {
        const auto ds = parse_fails("- a\nb: 1\n");
        CHECK(ds[0].line == 2);
        CHECK(contains(ds[0].message, "unexpected content"));
    }
    SUBCASE("top level is not a map") {
        const auto ds = parse_fails("- a\n- b\n");
        CHECK(ds[0].line == 1);
        CHECK(ds[0].column == 1);
        CHECK(contains(ds[0].message, "top level must be a map"));
        CHECK(contains(ds[0].message, "got a list"));
        const auto ds2 = parse_fails("just text\n");
        CHECK(contains(ds2[0].message, "got 'just text'"));
    }
    SUBCASE("empty file, comments only, empty document") {
        for (const char* text : {"", "# nothing\n\n", "\n\n   \n"}) {
            const auto ds = parse_fails(text);
            CHECK(ds[0].line == 1);
            CHECK(ds[0].column == 1);
            CHECK(contains(ds[0].message, "the file is empty"));
        }
        const auto ds = parse_fails("---\n");
        CHECK(contains(ds[0].message, "empty"));
    }
    SUBCASE("binary garbage") {
        const auto ds = parse_fails(std::string("name: x\nab\0cd", 13));
        CHECK(ds[0].line == 2);
        CHECK(ds[0].column == 3);
        CHECK(contains(ds[0].message, "NUL byte"));
        const auto ds2 = parse_fails("a: \x01\n");
        CHECK(ds2[0].column == 4);
        CHECK(contains(ds2[0].message, "control character 0x01"));
    }
    SUBCASE("invalid UTF-8") {
        const auto ds = parse_fails("name: ok\nx: caf\xc3(\n");
        CHECK(ds[0].line == 2);
        CHECK(ds[0].column == 7);
        CHECK(contains(ds[0].message, "not valid UTF-8"));
        CHECK(contains(ds[0].message, "0xc3"));
        CHECK(contains(parse_fails("a: \xed\xa0\x80\n")[0].message, "UTF-8"));   // surrogate
        CHECK(contains(parse_fails("a: \xc0\xaf\n")[0].message, "UTF-8"));       // overlong
        CHECK(contains(parse_fails("\xff\xfe" "a\0:\0")[0].message, "UTF-16"));
    }
    SUBCASE("valid UTF-8 and a byte order mark are fine") {
        Diagnostics d;
        const auto t = parse_yaml("\xef\xbb\xbf" "name: caf\xc3\xa9\n", "f.yaml", d);
        REQUIRE(t);
        CHECK(t->find("name")->text() == "caf\xc3\xa9");
        CHECK(t->find("name")->pos().column == 7);
    }
    SUBCASE("very deep nesting") {
        const auto ds = parse_fails("a: " + std::string(100, '[') + std::string(100, ']') + "\n");
        CHECK(ds[0].line == 1);
        CHECK(ds[0].column == 3 + 64);  // the 64th '[' opens level 65 (the top map is level 1)
        CHECK(contains(ds[0].message, "nesting is too deep"));
        // Far beyond yaml-cpp's own recursion guard: still a diagnostic, never a crash.
        const auto deep = parse_fails(std::string(100000, '['));
        CHECK(contains(deep[0].message, "too deep"));
        const auto deep_maps = parse_fails(std::string(30000, '{') + "\n");
        CHECK(contains(deep_maps[0].message, "too deep"));
    }
    SUBCASE("alias cycle and alias bomb") {
        const auto ds = parse_fails("a: &x [1, *x]\n");
        CHECK(ds[0].line == 1);
        CHECK(ds[0].column == 11);
        CHECK(contains(ds[0].message, "contains it"));
        std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 10; ++i) {
            // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on one long concatenation.
            const std::string prev = std::to_string(i - 1), cur = std::to_string(i);
            bomb.append("a").append(cur).append(": &a").append(cur).append(" [");
            for (int k = 0; k < 10; ++k) bomb.append(k ? ", *a" : "*a").append(prev);
            bomb.append("]\n");
        }
        const auto b = parse_fails(bomb);
        CHECK(contains(b[0].message, "too large"));
        // Aliases stacking deep nodes into deep places.
        std::string tower = "a0: &a0 " + std::string(40, '[') + std::string(40, ']') + "\n";
        tower += "a1: &a1 " + std::string(30, '[') + "*a0" + std::string(30, ']') + "\n";
        const auto t = parse_fails(tower);
        CHECK(t[0].line == 2);
        CHECK(contains(t[0].message, "counting expanded aliases"));
    }
    SUBCASE("unknown alias") {
        const auto ds = parse_fails("a: *nothing\n");
        CHECK(ds[0].line == 1);
        CHECK(contains(ds[0].message, "YAML syntax error"));
    }
}

TEST_CASE("duplicate and non-scalar keys are reported, the rest still parses") {
    Diagnostics d;
    const auto t = parse_yaml("name: x\nsimulation:\n  horizon: 1w\n  horizon: 2w\n? [a, b]\n: 1\nname: y\n", "f.yaml", d);
    REQUIRE(t);
    const auto ds = d.sorted();
    REQUIRE(ds.size() == 3);
    CHECK(ds[0].line == 4);
    CHECK(ds[0].column == 3);
    CHECK(ds[0].path == "simulation.horizon");
    CHECK(ds[0].message == "duplicate key 'horizon' (first written at line 3, column 3)");
    CHECK(ds[1].line == 5);
    CHECK(contains(ds[1].message, "a key must be plain text, not a list"));
    CHECK(ds[2].path == "name");
    CHECK(ds[2].line == 7);
    // The first value is kept.
    CHECK(t->find("name")->text() == "x");
    CHECK(t->find("simulation")->find("horizon")->text() == "1w");
}

TEST_CASE("a duplicate key inside a list item names the item") {
    Diagnostics d;
    const auto t = parse_yaml("roles:\n  - name: ae\n    headcount: 1\n    headcount: 2\n", "f.yaml", d);
    REQUIRE(t);
    REQUIRE(d.size() == 1);
    CHECK(d.items()[0].path == "roles.ae.headcount");
}

TEST_CASE("--set values: any top level, columns shifted on line 1") {
    Diagnostics d;
    YamlParseOptions o;
    o.top_level_map = false;
    o.first_line_column_offset = 10;
    const auto t = parse_yaml("{a: 1}", "--set", d, o);
    REQUIRE(t);
    CHECK(t->pos().column == 11);
    CHECK(t->find("a")->pos().column == 15);
    const auto empty = parse_yaml("", "--set", d, o);
    REQUIRE(empty);
    CHECK(empty->is_null());
    const auto bad = parse_fails("[1", o);
    CHECK(bad[0].file == "f.yaml");
    CHECK(bad[0].line == 1);
    CHECK(bad[0].column > 10);
}

TEST_CASE("emit_yaml round-trips the tree") {
    const std::string text =
        "name: x\n"
        "quoted: \"3\"\n"
        "text: 'it''s: here # not a comment'\n"
        "multi: |\n  line one\n  line two\n"
        "nothing: ~\n"
        "empty_list: []\n"
        "empty_map: {}\n"
        "list: [1, 2.5, \"a,b\", ~, -3]\n"
        "nested:\n  - name: a\n    deep: {x: [1, {y: 2}]}\n  - [1, [2, 3]]\n"
        "\"odd key: yes\": 1\n"
        "\"~\": 2\n"
        "unicode: caf\xc3\xa9\n"
        "tabs: \"a\\tb\\x01\"\n"
        "calendar: 24/7\n"
        "dash: -x\n";
    Diagnostics d;
    const auto t = parse_yaml(text, "f.yaml", d);
    REQUIRE(t);
    REQUIRE(d.empty());
    const std::string out = emit_yaml(*t);
    Diagnostics d2;
    const auto back = parse_yaml(out, "emitted.yaml", d2);
    INFO(out);
    REQUIRE(back);
    CHECK(d2.empty());
    CHECK(back->same_content(*t));
    CHECK(emit_yaml(*back) == out);
    CHECK(contains(out, "quoted: \"3\""));
    CHECK(contains(out, "list: [1, 2.5, \"a,b\", ~, -3]"));
}
