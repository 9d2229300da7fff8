// FastYaml: whenever it accepts a text, yaml-cpp gives exactly the same events for it
// (kinds, texts, tags, lines and columns) and no error; it accepts the shipped scenarios.
// Checked on every YAML file of the repository and on many mutations of each.
#include <doctest/doctest.h>

#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "input/FastYaml.hpp"

using namespace salesflow::input;

namespace {

struct Recorder : YAML::EventHandler {
    std::vector<YamlEvent> events;
    void add(YamlEvent::Kind k, const YAML::Mark& m, std::string text = {}, bool plain = true) {
        events.push_back(YamlEvent{k, m, std::move(text), plain});
    }
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t) override { add(YamlEvent::Kind::null, m); }
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override { throw std::runtime_error("alias"); }
    void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t, const std::string& v) override {
        if (tag != "?" && tag != "!") throw std::runtime_error("tag " + tag);
        add(YamlEvent::Kind::scalar, m, v, tag == "?");
    }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        add(YamlEvent::Kind::sequence_start, m);
    }
    void OnSequenceEnd() override { add(YamlEvent::Kind::sequence_end, YAML::Mark{}); }
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        add(YamlEvent::Kind::map_start, m);
    }
    void OnMapEnd() override { add(YamlEvent::Kind::map_end, YAML::Mark{}); }
};

// yaml-cpp's events of a one-document text, or a description of why there are none.
std::string yaml_cpp_events(const std::string& text, std::vector<YamlEvent>& out) {
    std::istringstream in(text);
    try {
        YAML::Parser parser(in);
        Recorder r;
        if (!parser.HandleNextDocument(r)) return "no document";
        Recorder second;
        if (parser.HandleNextDocument(second)) return "a second document";
        out = std::move(r.events);
        return "";
    } catch (const std::exception& e) {
        return std::string("error: ") + e.what();
    }
}

// Empty when FastYaml refuses `text` or agrees with yaml-cpp; else the first difference.
std::string disagreement(const std::string& text) {
    const auto fast = fast_yaml_events(text);
    if (!fast) return "";
    std::vector<YamlEvent> slow;
    if (const std::string why = yaml_cpp_events(text, slow); !why.empty()) return "yaml-cpp: " + why;
    if (slow.size() != fast->size())
        return "event count " + std::to_string(fast->size()) + " vs " + std::to_string(slow.size());
    for (std::size_t i = 0; i < slow.size(); ++i) {
        const YamlEvent& a = (*fast)[i];
        const YamlEvent& b = slow[i];
        const bool end = a.kind == YamlEvent::Kind::map_end || a.kind == YamlEvent::Kind::sequence_end;
        // The mark of a null map value is not used (the tree places it at its key).
        const bool mark_used = !end && a.kind != YamlEvent::Kind::null;
        if (a.kind != b.kind || a.text != b.text || a.plain != b.plain ||
            (mark_used && (a.mark.line != b.mark.line || a.mark.column != b.mark.column)))
            return "event " + std::to_string(i) + " differs: '" + a.text + "' at " + std::to_string(a.mark.line) + ":" +
                   std::to_string(a.mark.column) + " vs '" + b.text + "' at " + std::to_string(b.mark.line) + ":" +
                   std::to_string(b.mark.column);
    }
    return "";
}

std::string read(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

std::vector<std::filesystem::path> yaml_files() {
    std::vector<std::filesystem::path> out;
    const std::filesystem::path root(SALESFLOW_SOURCE_DIR);
    for (const char* dir : {"scenarios", "bench", "tests", "docs"}) {
        if (!std::filesystem::exists(root / dir)) continue;
        for (const auto& e : std::filesystem::recursive_directory_iterator(root / dir))
            if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
                out.push_back(e.path());
    }
    return out;
}

}  // namespace

TEST_CASE("FastYaml reads the shipped scenarios, with the events yaml-cpp gives") {
    const std::filesystem::path root(SALESFLOW_SOURCE_DIR);
    for (const char* f : {"scenarios/market.yaml", "scenarios/flow-optimised.yaml", "scenarios/resource-optimised.yaml",
                          "bench/mm1.yaml"}) {
        CAPTURE(f);
        const std::string text = read(root / f);
        CHECK(fast_yaml_events(text).has_value());
        CHECK(disagreement(text) == "");
    }
}

TEST_CASE("FastYaml agrees with yaml-cpp on every text it accepts: the repository's YAML files and their mutations") {
    const auto files = yaml_files();
    REQUIRE(files.size() >= 10);
    const std::string inserts[] = {" ", ":", "-", "#", "{", "}", "[", "]", ",", "'", "\"", "\n", "  ", ": ", "- ",
                                   " #", "~", "?", "&a ", "*a", "!", "|", "\\", "null", "\n  x", "\n- y", "\n  - z"};
    std::size_t accepted = 0, tried = 0, accepted_mutants = 0;
    for (const auto& path : files) {
        const std::string text = read(path);
        CAPTURE(path.string());
        CHECK(disagreement(text) == "");
        if (fast_yaml_events(text)) ++accepted;
        // Mutations: a byte deleted, or a piece inserted, at positions spread over the text.
        const std::size_t step = std::max<std::size_t>(1, text.size() / 150);
        for (std::size_t at = 0; at < text.size(); at += step) {
            std::string del = text;
            del.erase(at, 1);
            CAPTURE(del);
            ++tried;
            if (fast_yaml_events(del)) ++accepted_mutants;
            CHECK(disagreement(del) == "");
            const std::string& ins = inserts[(at / step) % std::size(inserts)];
            std::string added = text;
            added.insert(at, ins);
            CAPTURE(added);
            if (fast_yaml_events(added)) ++accepted_mutants;
            CHECK(disagreement(added) == "");
        }
    }
    CHECK(accepted >= 5);
    CHECK(tried > 1000);
    MESSAGE("mutants accepted by FastYaml: " << accepted_mutants << " of " << 2 * tried);
    CHECK(accepted_mutants > tried / 2);  // the comparison is not vacuous
}

TEST_CASE("FastYaml: hand-written corner cases agree with yaml-cpp") {
    const char* cases[] = {
        "a: 1\n",
        "a:\n",
        "a:\nb: 2\n",
        "a:\n  - x\n  - y\nb: ~\n",
        "a:\n- x\n",
        "a: {b: 1, c: [1, 2, {d: e}], f: \"g h\", i: 'j'}\n",
        "a: [ ]\nb: {}\nc: [~, null, Null, NULL, '', \"\"]\n",
        "~: 1\n",
        "null: 1\n",
        "a: b # c\n",
        "a: b#c\n",
        "a: 08:30\n",
        "a: http://x.y/z\n",
        "a: -1\nb: -.5\nc: 1e-3/h\n",
        "a: b, c\n",
        "a: it's\n",
        "a: x: y\n",
        "a: 'it''s'\n",
        "a: \"x\\ty\"\n",
        "a:   \n  b: 1\n",
        "- a\n",
        "a:\n  - b: 1\n    c: 2\n  -   d: 3\n      e: [4]\n",
        "a:\n  - b: 1\n   c: 2\n",
        "a: 1\n  b: 2\n",
        "a: {b: 1,}\n",
        "a: {b: 1, , c: 2}\n",
        "a: {b:1}\n",
        "a: {b : 1}\n",
        "a: [b: 1]\n",
        "a: [1, 2\n",
        "a: {b: }\n",
        "a: 1\na: 2\n",
        "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
        "a: 1 \nb: 2  # x\n",
        "a: \"x\" # y\n",
        "a: \"x\"y\n",
        "a: [1] x\n",
        "a : 1\n",
        "# c\n\n  # d\na: 1\n",
        "a:\n# c\n  b: 1\n",
        "a:\n  # c\n- b\n",
        "a: ---\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "a: [a, b]x\n",
        "a: 'x'  \n",
        "a: ? b\n",
        "a: @b\n",
        "a: %b\n",
        "a: `b\n",
        "a: b]\n",
        "a: {b: [c, {d: [e]}]}\n",
    };
    for (const char* c : cases) {
        CAPTURE(c);
        CHECK(disagreement(c) == "");
    }
}

TEST_CASE("FastYaml gives up beyond its event budget, so that memory stays bounded") {
    const std::string text = "a: [1, 2, 3, 4, 5, 6]\n";  // 11 events: map, key, list, 6 items, 2 ends
    CHECK_FALSE(fast_yaml_events(text, 10).has_value());
    REQUIRE(fast_yaml_events(text, 11).has_value());
    CHECK(fast_yaml_events(text, 11)->size() == 11);
}
