#include "input/YamlParser.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <sstream>
#include <vector>

#include "input/FastYaml.hpp"
#include "input/TextUtil.hpp"

namespace salesflow::input {
namespace {

// Thrown from inside the event handler to abandon a parse with one diagnostic. It
// travels through yaml-cpp's parser, which only holds RAII state.
struct StopParse {
    Position pos;
    std::string message;
};

// Byte offsets of line starts, to map yaml-cpp's (line, column) marks back to the text.
std::vector<std::size_t> line_starts(std::string_view text) {
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') starts.push_back(i + 1);
    return starts;
}

class PositionMap {
public:
    PositionMap(std::string_view text, const std::string& file, int column_offset)
        : text_(text), file_(file), column_offset_(column_offset), starts_(line_starts(text)) {}

    Position at(const YAML::Mark& m) const {
        if (m.is_null() || m.line < 0) return Position{file_, 1, 1 + column_offset_};
        return Position{file_, m.line + 1, m.column + 1 + (m.line == 0 ? column_offset_ : 0)};
    }
    Position at_offset(std::size_t offset) const {
        std::size_t line = 0;
        while (line + 1 < starts_.size() && starts_[line + 1] <= offset) ++line;
        const int column = static_cast<int>(offset - starts_[line]) + 1;
        return Position{file_, static_cast<int>(line) + 1, column + (line == 0 ? column_offset_ : 0)};
    }
    // Offset of a mark in the text, or npos when it does not map (null marks).
    std::size_t offset(const YAML::Mark& m) const {
        if (m.is_null() || m.line < 0 || m.column < 0) return std::string_view::npos;
        const auto line = static_cast<std::size_t>(m.line);
        if (line >= starts_.size()) return std::string_view::npos;
        const std::size_t off = starts_[line] + static_cast<std::size_t>(m.column);
        return off < text_.size() ? off : std::string_view::npos;
    }
    std::string_view text() const { return text_; }

private:
    std::string_view text_;
    const std::string& file_;
    int column_offset_;
    std::vector<std::size_t> starts_;
};

// yaml-cpp 0.7 accepts a quoted scalar whose closing quote is missing when a newline
// follows it (it runs to the end of the text). Scan from the opening quote the way the
// YAML grammar does and report the string as unterminated when no closing quote exists.
bool quoted_scalar_terminated(std::string_view text, std::size_t open) {
    const char q = text[open];
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (q == '"') {
            if (c == '\\') { ++i; continue; }
            if (c == '"') return true;
        } else if (c == '\'') {
            if (i + 1 < text.size() && text[i + 1] == '\'') { ++i; continue; }
            return true;
        }
    }
    return false;
}

class TreeBuilder : public YAML::EventHandler {
public:
    TreeBuilder(const PositionMap& positions, Diagnostics& diags, const YamlParseOptions& options)
        : positions_(positions), diags_(diags), options_(options) {}

    std::optional<ConfigNode>& root() { return root_; }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        count(1, mark);
        ConfigNode n = ConfigNode::null(positions_.at(mark));
        remember(anchor, n);
        add(std::move(n));
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        if (open_anchors_.count(anchor))
            throw StopParse{positions_.at(mark), "this alias refers to a node that contains it (a cycle)"};
        const auto it = anchors_.find(anchor);
        if (it == anchors_.end()) throw StopParse{positions_.at(mark), "this alias refers to an unknown anchor"};
        // Count before copying: a "billion laughs" document must be refused before it
        // is expanded, not after.
        count(it->second.count_nodes(), mark);
        // An alias can carry a deep node into a deep place; the depth bound must still hold.
        if (stack_.size() + depth_of(it->second) > options_.max_depth)
            throw StopParse{positions_.at(mark), "nesting is too deep (more than " +
                                                     std::to_string(options_.max_depth) + " levels, counting expanded aliases)"};
        ConfigNode copy = it->second;
        copy.set_pos(positions_.at(mark));
        add(std::move(copy));
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        count(1, mark);
        const std::size_t off = positions_.offset(mark);
        if (off != std::string_view::npos && (positions_.text()[off] == '"' || positions_.text()[off] == '\'') &&
            !quoted_scalar_terminated(positions_.text(), off)) {
            throw StopParse{positions_.at(mark), std::string("unterminated quoted string: the closing ") +
                                                     positions_.text()[off] + " is missing"};
        }
        // yaml-cpp tags plain scalars "?" and quoted or block scalars "!". Explicit core
        // tags keep their meaning; any other tag makes the scalar text.
        static const std::string core_null = "tag:yaml.org,2002:null", core_int = "tag:yaml.org,2002:int",
                                 core_float = "tag:yaml.org,2002:float", core_bool = "tag:yaml.org,2002:bool";
        ConfigNode n;
        if (tag == core_null) {
            n = ConfigNode::null(positions_.at(mark));
        } else {
            const bool plain = tag == "?" || tag == core_int || tag == core_float || tag == core_bool;
            n = ConfigNode::scalar(value, !plain, positions_.at(mark));
        }
        remember(anchor, n);
        add(std::move(n));
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(ConfigNode::sequence(positions_.at(mark)), anchor, mark);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(ConfigNode::map(positions_.at(mark)), anchor, mark);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        ConfigNode node;
        YAML::anchor_t anchor = 0;
        bool have_key = false;    // map: a key was read, its value comes next
        bool skip_value = false;  // map: the key was unusable, drop its value
        // map: index of the keys read so far in node.entries(), made once the map is large
        // (duplicates in O(1)); a small map is searched directly.
        std::unordered_map<std::string, std::size_t> keys;
        std::string key;
        Position key_pos;
    };

    static constexpr std::size_t small_map = 16;

    // Levels of collections in `n` (0 for a scalar); `n` is already bounded in depth.
    static std::size_t depth_of(const ConfigNode& n) {
        std::size_t d = 0;
        for (const auto& i : n.items()) d = std::max(d, depth_of(i));
        for (const auto& e : n.entries()) d = std::max(d, depth_of(e.value));
        return (n.is_map() || n.is_sequence()) ? d + 1 : 0;
    }

    void count(std::size_t n, const YAML::Mark& mark) {
        nodes_ += n;
        if (nodes_ > options_.max_nodes)
            throw StopParse{positions_.at(mark), "the document is too large (more than " +
                                                     std::to_string(options_.max_nodes) +
                                                     " values, counting expanded aliases)"};
    }

    void open(ConfigNode n, YAML::anchor_t anchor, const YAML::Mark& mark) {
        count(1, mark);
        // Every later pass over the tree (merge, emit, copy, destroy) recurses, so the
        // depth is bounded here, far below anything a scenario needs (about 6).
        if (stack_.size() + 1 > options_.max_depth)
            throw StopParse{positions_.at(mark), "nesting is too deep (more than " +
                                                     std::to_string(options_.max_depth) + " levels)"};
        if (anchor != 0) open_anchors_.insert(anchor);
        Frame f;
        f.node = std::move(n);
        f.anchor = anchor;
        stack_.push_back(std::move(f));
    }

    void close() {
        if (stack_.empty()) return;
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        if (f.node.is_map() && f.have_key && !f.skip_value) {
            // Cannot happen with yaml-cpp (a key always gets a value, null if empty), but
            // keep the key rather than lose it silently.
            f.node.set(f.key, f.key_pos, ConfigNode::null(f.key_pos));
        }
        if (f.anchor != 0) {
            open_anchors_.erase(f.anchor);
            anchors_[f.anchor] = f.node;
        }
        add(std::move(f.node));
    }

    void remember(YAML::anchor_t anchor, const ConfigNode& n) {
        if (anchor != 0) anchors_[anchor] = n;
    }

    void add(ConfigNode n) {
        if (stack_.empty()) {
            root_ = std::move(n);
            return;
        }
        Frame& f = stack_.back();
        if (f.node.is_sequence()) {
            f.node.push_back(std::move(n));
            return;
        }
        if (!f.have_key) {
            f.have_key = true;
            f.skip_value = false;
            f.key_pos = n.pos();
            if (n.is_scalar()) {
                f.key = n.text();
            } else {
                f.skip_value = true;
                diags_.add(n.pos(), "", n.is_null() ? "empty key: every key needs a name"
                                                     : std::string("a key must be plain text, not a ") +
                                                           (n.is_map() ? "map" : "list"));
            }
            return;
        }
        f.have_key = false;
        if (f.skip_value) return;
        if (n.is_null()) n.set_pos(f.key_pos);  // an empty value is best shown at its key
        auto& entries = f.node.entries();
        const ConfigNode::Entry* first = nullptr;
        if (entries.size() < small_map) {
            for (const auto& e : entries)
                if (e.key == f.key) first = &e;
        } else {
            if (f.keys.empty())
                for (std::size_t i = 0; i < entries.size(); ++i) f.keys.emplace(entries[i].key, i);
            if (const auto it = f.keys.find(f.key); it != f.keys.end()) first = &entries[it->second];
        }
        if (first) {
            diags_.add(f.key_pos, join_path(current_path(), f.key), "duplicate key " + quote(f.key) + " (first written at line " +
                                          std::to_string(first->key_pos.line) + ", column " +
                                          std::to_string(first->key_pos.column) + ")");
            return;
        }
        if (!f.keys.empty()) f.keys.emplace(f.key, entries.size());
        f.node.entries().push_back(ConfigNode::Entry{f.key, f.key_pos, std::move(n)});
    }

    // Dotted path of the value being read, as validation would name it: list items by
    // their name when it has already been read, else by 1-based index.
    std::string current_path() const {
        std::string path;
        for (std::size_t i = 0; i < stack_.size(); ++i) {
            const Frame& f = stack_[i];
            if (f.node.is_map()) {
                if (f.have_key) path = join_path(path, f.key);
            } else if (i + 1 < stack_.size()) {
                const std::string name = stack_[i + 1].node.item_name();
                path = name.empty() ? path + "[" + std::to_string(f.node.items().size() + 1) + "]" : join_path(path, name);
            }
        }
        return path;
    }

    const PositionMap& positions_;
    Diagnostics& diags_;
    const YamlParseOptions& options_;
    std::vector<Frame> stack_;
    std::optional<ConfigNode> root_;
    std::map<YAML::anchor_t, ConfigNode> anchors_;
    std::set<YAML::anchor_t> open_anchors_;
    std::size_t nodes_ = 0;
};

// Seeing the start of a second document is enough: it is refused whatever it holds.
class SecondDocumentProbe : public YAML::EventHandler {
public:
    struct Found {
        YAML::Mark mark;
    };
    void OnDocumentStart(const YAML::Mark& mark) override { throw Found{mark}; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

// Adds a hint to yaml-cpp's terse messages for the mistakes people actually make.
std::string syntax_message(const std::string& msg) {
    std::string out = "YAML syntax error: " + msg;
    if (msg == YAML::ErrorMsg::MAP_VALUE)
        out += " (a value may not contain ': ' unless quoted; or the indentation is wrong)";
    else if (msg == YAML::ErrorMsg::END_OF_MAP || msg == YAML::ErrorMsg::END_OF_SEQ)
        out += " (check the indentation)";
    else if (msg == YAML::ErrorMsg::TAB_IN_INDENTATION)
        out += " (indent with spaces, not tabs)";
    else if (msg == YAML::ErrorMsg::END_OF_SEQ_FLOW)
        out += " (a '[' is not closed by ']')";
    else if (msg == YAML::ErrorMsg::END_OF_MAP_FLOW)
        out += " (a '{' is not closed by '}')";
    return out;
}

// YAML text must be Unicode; yaml-cpp silently replaces invalid UTF-8 and passes control
// characters through, so a binary file would otherwise "parse". Returns the offset and a
// reason for the first offending byte.
std::optional<std::pair<std::size_t, std::string>> find_invalid_text(std::string_view t) {
    std::size_t i = 0;
    while (i < t.size()) {
        const auto b = static_cast<unsigned char>(t[i]);
        if (b < 0x80) {
            if (b == 0) return std::pair{i, std::string("contains a NUL byte: this is a binary file, not YAML text")};
            if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f)
                return std::pair{i, "contains the control character 0x" + hex(b, 2) + ", which YAML does not allow"};
            ++i;
            continue;
        }
        int len = 0;
        std::uint32_t cp = 0;
        if (b >= 0xc2 && b <= 0xdf) { len = 2; cp = b & 0x1fu; }
        else if (b >= 0xe0 && b <= 0xef) { len = 3; cp = b & 0x0fu; }
        else if (b >= 0xf0 && b <= 0xf4) { len = 4; cp = b & 0x07u; }
        else return std::pair{i, "is not valid UTF-8 text (byte 0x" + hex(b, 2) + ")"};
        if (i + static_cast<std::size_t>(len) > t.size())
            return std::pair{i, "is not valid UTF-8 text (truncated character, byte 0x" + hex(b, 2) + ")"};
        for (int k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(t[i + static_cast<std::size_t>(k)]);
            if ((c & 0xc0u) != 0x80u) return std::pair{i, "is not valid UTF-8 text (byte 0x" + hex(b, 2) + ")"};
            cp = (cp << 6) | (c & 0x3fu);
        }
        const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return std::pair{i, "is not valid UTF-8 text (byte 0x" + hex(b, 2) + ")"};
        if ((cp >= 0x80 && cp <= 0x9f && cp != 0x85) || cp == 0xfffe || cp == 0xffff)
            return std::pair{i, "contains the control character U+" + hex(cp, 4) + ", which YAML does not allow"};
        i += static_cast<std::size_t>(len);
    }
    return std::nullopt;
}

}  // namespace

std::optional<ConfigNode> parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                                     const YamlParseOptions& options) {
    const int col0 = options.first_line_column_offset;
    if (text.size() >= 2 && ((text[0] == '\xff' && text[1] == '\xfe') || (text[0] == '\xfe' && text[1] == '\xff'))) {
        diags.add(Position{file, 1, 1 + col0}, "", "the file is UTF-16 text; save it as UTF-8");
        return std::nullopt;
    }
    if (text.size() >= 3 && text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);  // UTF-8 byte order mark

    // yaml-cpp does not break lines at a lone CR (old Mac line ends): the whole file would
    // read as one line. Editors show such a file as lines, so make them lines; the text
    // keeps its length, so positions still match what the user sees.
    std::string normalized(text);
    for (std::size_t i = 0; i < normalized.size(); ++i)
        if (normalized[i] == '\r' && (i + 1 == normalized.size() || normalized[i + 1] != '\n')) normalized[i] = '\n';
    text = normalized;

    const PositionMap positions(text, file, col0);
    if (const auto bad = find_invalid_text(text)) {
        diags.add(positions.at_offset(bad->first), "", (options.top_level_map ? "the file " : "the value ") + bad->second +
                                                           " at byte offset " + std::to_string(bad->first));
        return std::nullopt;
    }

    TreeBuilder builder(positions, diags, options);
    bool had_document = false;
    // The plain text of a scenario file is read by FastYaml (the same events as yaml-cpp
    // gives, at a small fraction of its cost); anything else by yaml-cpp.
    std::optional<std::vector<YamlEvent>> fast;
    if (options.top_level_map && col0 == 0) fast = fast_yaml_events(text, 2 * options.max_nodes + 2);
    try {
        if (fast) {
            replay_yaml_events(*fast, builder);
            had_document = true;
        }
    } catch (const StopParse& stop) {
        diags.add(stop.pos, "", stop.message);
        return std::nullopt;
    }
    if (!fast) try {
        std::istringstream in(normalized);
        YAML::Parser parser(in);
        had_document = parser.HandleNextDocument(builder);
        if (had_document) {
            SecondDocumentProbe probe;
            try {
                parser.HandleNextDocument(probe);
            } catch (const SecondDocumentProbe::Found& found) {
                const std::size_t off = positions.offset(found.mark);
                const bool marker = off != std::string_view::npos && text.substr(off, 3) == "---";
                diags.add(positions.at(found.mark), "",
                          marker ? "a second YAML document starts here; a scenario holds exactly one document"
                                 : "unexpected content after the end of the top-level value (check the indentation)");
                return std::nullopt;
            }
        }
    } catch (const StopParse& stop) {
        diags.add(stop.pos, "", stop.message);
        return std::nullopt;
    } catch (const YAML::DeepRecursion& e) {
        diags.add(positions.at(e.mark), "", "nesting is too deep");
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        std::string msg = syntax_message(e.msg);
        // yaml-cpp rarely says "tab" when a tab breaks the indentation; say it for it.
        const std::size_t off = positions.offset(e.mark);
        if (off != std::string_view::npos && msg.find("tab") == std::string::npos) {
            const std::size_t start = text.rfind('\n', off == 0 ? 0 : off - 1);
            std::size_t i = (start == std::string_view::npos || off == 0) ? 0 : start + 1;
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
                if (text[i] == '\t') {
                    msg += "; this line is indented with a tab, and YAML needs spaces";
                    break;
                }
                ++i;
            }
        }
        diags.add(positions.at(e.mark), "", msg);
        return std::nullopt;
    } catch (const std::exception& e) {
        diags.add(Position{file, 1, 1 + col0}, "", std::string("cannot parse YAML: ") + e.what());
        return std::nullopt;
    }

    std::optional<ConfigNode>& root = builder.root();
    if (!had_document || !root) {
        if (!options.top_level_map) return ConfigNode::null(Position{file, 1, 1 + col0});
        diags.add(Position{file, 1, 1}, "",
                  "the file is empty; expected a scenario: a map with name, simulation, sources, stages and roles");
        return std::nullopt;
    }
    if (options.top_level_map && root->is_null()) {
        diags.add(Position{file, 1, 1}, "",
                  "the document is empty; expected a scenario: a map with name, simulation, sources, stages and roles");
        return std::nullopt;
    }
    if (options.top_level_map && !root->is_map()) {
        diags.add(root->pos(), "",
                  "the top level must be a map of keys (name, simulation, sources, stages, roles), got " +
                      describe(*root));
        return std::nullopt;
    }
    return std::move(root);
}

}  // namespace salesflow::input
