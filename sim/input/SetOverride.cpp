#include "input/SetOverride.hpp"

#include <vector>

#include "input/InputError.hpp"
#include "input/TextUtil.hpp"
#include "input/YamlParser.hpp"

namespace salesflow::input {
namespace {

const std::string set_file = "--set";

struct Segment {
    std::string key;             // map key or item name; empty for a bare index
    std::vector<std::size_t> indexes;  // 1-based [N] suffixes
    int column = 0;              // 1-based column of the segment in the path's line
};

// `a.b[2].c` -> segments; reports malformed paths.
std::optional<std::vector<Segment>> split_path(const std::string& path, const Position& pos, Diagnostics& diags) {
    std::vector<Segment> out;
    if (path.empty()) {
        diags.add(pos, "", "the path before '=' is empty");
        return std::nullopt;
    }
    // A path may not lead deeper than a file may nest: every later pass over the tree
    // recurses, and a path's cost must not grow with the square of its length.
    std::size_t segments = 1;
    for (const char c : path) segments += (c == '.' || c == '[') ? 1 : 0;
    if (segments > max_path_segments) {
        std::string message = "the path ";
        message += quote(path);
        message += " has ";
        message += std::to_string(segments);
        message += " segments and indexes; at most ";
        message += std::to_string(max_path_segments);
        message += " are allowed";
        diags.add(pos, "", std::move(message));
        return std::nullopt;
    }
    std::size_t i = 0;
    while (true) {
        Segment s;
        s.column = pos.column + static_cast<int>(i);
        std::size_t j = i;
        while (j < path.size() && path[j] != '.' && path[j] != '[') s.key += path[j++];
        if (s.key.empty()) {
            diags.add(Position{pos.file, pos.line, s.column}, path, "empty segment in the path " + quote(path));
            return std::nullopt;
        }
        while (j < path.size() && path[j] == '[') {
            const std::size_t close = path.find(']', j);
            const std::string digits = close == std::string::npos ? std::string() : path.substr(j + 1, close - j - 1);
            bool ok = !digits.empty() && digits.size() <= 9;
            for (const char c : digits) ok = ok && c >= '0' && c <= '9';
            const std::size_t n = ok ? std::stoul(digits) : 0;
            if (!ok || n == 0) {
                diags.add(Position{pos.file, pos.line, pos.column + static_cast<int>(j)}, path,
                          "a list index must be [N] with N a whole number from 1, in the path " + quote(path));
                return std::nullopt;
            }
            s.indexes.push_back(n);
            j = close + 1;
        }
        out.push_back(std::move(s));
        if (j == path.size()) return out;
        if (path[j] != '.') {
            diags.add(Position{pos.file, pos.line, pos.column + static_cast<int>(j)}, path,
                      "expected '.' or '[' after " + quote(path.substr(0, j)) + " in the path " + quote(path));
            return std::nullopt;
        }
        i = j + 1;
        if (i == path.size()) {
            diags.add(Position{pos.file, pos.line, pos.column + static_cast<int>(j)}, path, "the path " + quote(path) + " ends with '.'");
            return std::nullopt;
        }
    }
}

bool is_named_list(const ConfigNode& n) {
    for (const auto& item : n.items())
        if (!item.item_name().empty()) return true;
    return false;
}

}  // namespace

std::optional<SetArgument> parse_set_argument(const std::string& argument, Diagnostics& diags) {
    const std::size_t eq = argument.find('=');
    if (eq == std::string::npos) {
        diags.add(Position{set_file, 1, 1}, "", "expected PATH=VALUE, got " + quote(argument));
        return std::nullopt;
    }
    SetArgument out;
    out.path = argument.substr(0, eq);
    out.path_pos = Position{set_file, 1, 1};
    YamlParseOptions options;
    options.top_level_map = false;
    options.first_line_column_offset = static_cast<int>(eq) + 1;
    auto value = parse_yaml(argument.substr(eq + 1), set_file, diags, options);
    if (!value) return std::nullopt;
    if (value->is_null()) value->set_pos(Position{set_file, 1, static_cast<int>(eq) + 2});
    out.value = std::move(*value);
    return out;
}

bool apply_set(ConfigNode& root, const std::string& path, const ConfigNode& value, const Position& path_pos,
               Diagnostics& diags) {
    const auto segments = split_path(path, path_pos, diags);
    if (!segments) return false;
    ConfigNode* cur = &root;
    std::string walked;  // path of *cur
    bool cur_is_named_item = false;
    for (std::size_t k = 0; k < segments->size(); ++k) {
        const Segment& s = (*segments)[k];
        const Position seg_pos{path_pos.file, path_pos.line, s.column};
        const bool last = k + 1 == segments->size();
        cur_is_named_item = false;
        if (cur->is_null() && cur != &root) *cur = ConfigNode::map(cur->pos());
        // `no_decision: default`, `nurture: default` and `speed_to_lead: default` mean the
        // map {} of defaults: a key set into one starts that map (`--set no_decision.from=X`
        // said "'no_decision' is the value 'default', so it has no key 'from'").
        if (cur != &root && cur->is_scalar() && !cur->quoted() && cur->text() == "default" &&
            (walked == "no_decision" || walked == "nurture" ||
             (walked.size() > 14 && walked.compare(walked.size() - 14, 14, ".speed_to_lead") == 0)))
            *cur = ConfigNode::map(cur->pos());
        if (cur->is_map()) {
            ConfigNode* next = cur->find(s.key);
            if (!next) {
                if (!s.indexes.empty()) {
                    diags.add(seg_pos, path, quote(join_path(walked, s.key)) + " does not exist, so it has no item [" +
                                                 std::to_string(s.indexes.front()) + "]");
                    return false;
                }
                // A new key: if it is misspelt, validation reports it with a suggestion.
                next = &cur->set(s.key, seg_pos, last ? value : ConfigNode::map(value.pos()));
            }
            cur = next;
        } else if (cur->is_sequence()) {
            if (!is_named_list(*cur)) {
                diags.add(seg_pos, path, quote(walked) + " is a list without names; address its items as " +
                                             quote(walked + "[N]"));
                return false;
            }
            ConfigNode* next = nullptr;
            std::vector<std::string> names;
            for (auto& item : cur->items()) {
                if (item.item_name() == s.key) next = &item;
                if (!item.item_name().empty()) names.push_back(item.item_name());
            }
            if (!next) {
                diags.add(seg_pos, path, "there is no item named " + quote(s.key) + " in " + quote(walked) +
                                             suggestion(s.key, names));
                return false;
            }
            cur = next;
            cur_is_named_item = true;
        } else {
            diags.add(seg_pos, path, quote(walked) + " is the value " + describe(*cur) + ", so it has no key " + quote(s.key));
            return false;
        }
        walked = join_path(walked, s.key);
        for (const std::size_t n : s.indexes) {
            if (!cur->is_sequence()) {
                diags.add(seg_pos, path, quote(walked) + " is not a list (it is " + describe(*cur) + "), so it has no item [" +
                                             std::to_string(n) + "]");
                return false;
            }
            if (n > cur->items().size()) {
                diags.add(seg_pos, path, quote(walked) + " has " + std::to_string(cur->items().size()) +
                                             " items, so it has no item [" + std::to_string(n) + "]");
                return false;
            }
            cur = &cur->items()[n - 1];
            walked += '[';   // appended: GCC 12 warns falsely (-Wrestrict) on "[" + std::string
            walked += std::to_string(n);
            walked += ']';
            cur_is_named_item = false;
        }
    }
    if (cur_is_named_item && value.is_map() && !value.find("name")) {
        // Replacing a whole named item keeps its name, so the path still addresses it.
        ConfigNode replacement = ConfigNode::map(value.pos());
        replacement.set("name", value.pos(), *cur->find("name"));
        for (const auto& e : value.entries()) replacement.set(e.key, e.key_pos, e.value);
        *cur = std::move(replacement);
    } else {
        *cur = value;
    }
    return true;
}

const ConfigNode* find_path(const ConfigNode& root, const std::string& path) {
    Diagnostics ignored;
    const auto segments = split_path(path, Position{}, ignored);
    if (!segments) return nullptr;
    const ConfigNode* cur = &root;
    for (const Segment& s : *segments) {
        const ConfigNode* next = nullptr;
        if (cur->is_map()) {
            next = cur->find(s.key);
        } else if (cur->is_sequence() && is_named_list(*cur)) {
            for (const auto& item : cur->items())
                if (item.item_name() == s.key) next = &item;
        }
        if (!next) return nullptr;
        cur = next;
        for (const std::size_t n : s.indexes) {
            if (!cur->is_sequence() || n > cur->items().size()) return nullptr;
            cur = &cur->items()[n - 1];
        }
    }
    return cur;
}

void apply_set(ConfigNode& root, const std::string& path, const ConfigNode& value) {
    Diagnostics diags;
    apply_set(root, path, value, Position{set_file, 1, 1}, diags);
    diags.throw_if_any();
}

void apply_set_argument(ConfigNode& root, const std::string& argument) {
    Diagnostics diags;
    if (auto arg = parse_set_argument(argument, diags)) apply_set(root, arg->path, arg->value, arg->path_pos, diags);
    diags.throw_if_any();
}

}  // namespace salesflow::input
