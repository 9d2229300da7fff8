#pragma once
// ConfigNode: one value of a scenario's configuration tree as the user wrote it, before
// any meaning is given to it: nothing (null), a scalar (text, remembering whether it was
// quoted), a sequence, or a map whose keys keep the order in which they were written.
// Every node and every map key remembers its own file, line and column, so that after
// `extends` merging and `--set` overrides a problem is still reported where it was
// written. The model never sees this type; ScenarioBuilder turns it into ScenarioConfig.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "input/Position.hpp"

namespace salesflow::input {

class ConfigNode {
public:
    enum class Kind { null, scalar, sequence, map };
    struct Entry;  // one `key: value` of a map

    ConfigNode() = default;  // null, at no position

    static ConfigNode null(Position pos);
    // `quoted` is true for text the user marked as text (quotes, block scalars, !!str):
    // such a scalar is never read as a number.
    static ConfigNode scalar(std::string text, bool quoted, Position pos);
    static ConfigNode sequence(Position pos);
    static ConfigNode map(Position pos);

    Kind kind() const { return kind_; }
    bool is_null() const { return kind_ == Kind::null; }
    bool is_scalar() const { return kind_ == Kind::scalar; }
    bool is_sequence() const { return kind_ == Kind::sequence; }
    bool is_map() const { return kind_ == Kind::map; }

    const Position& pos() const { return pos_; }
    void set_pos(Position pos) { pos_ = std::move(pos); }

    // Scalars.
    const std::string& text() const { return text_; }
    bool quoted() const { return quoted_; }

    // Sequences.
    const std::vector<ConfigNode>& items() const { return items_; }
    std::vector<ConfigNode>& items() { return items_; }
    void push_back(ConfigNode item);

    // Maps, in the order the keys were written.
    const std::vector<Entry>& entries() const;
    std::vector<Entry>& entries();
    const Entry* find_entry(std::string_view key) const;
    Entry* find_entry(std::string_view key);
    const ConfigNode* find(std::string_view key) const;   // nullptr when absent
    ConfigNode* find(std::string_view key);
    // Replaces the value of `key`, or appends the key when absent; returns the value.
    ConfigNode& set(std::string key, Position key_pos, ConfigNode value);
    bool erase(std::string_view key);

    // For a list item: the text of its `name` key when that is a scalar, else empty.
    std::string item_name() const;
    // Number of nodes in this subtree (this one included).
    std::size_t count_nodes() const;

    // Same kind and content (scalar text and quoting, items, keys in order), ignoring
    // positions. Used by tests and by the round trip of emit_yaml.
    bool same_content(const ConfigNode& other) const;

private:
    Kind kind_ = Kind::null;
    Position pos_;
    std::string text_;
    bool quoted_ = false;
    std::vector<ConfigNode> items_;
    std::vector<Entry> entries_;
};

struct ConfigNode::Entry {
    std::string key;
    Position key_pos;
    ConfigNode value;
};

// `base.key` (or `key` when base is empty): dotted paths as used in diagnostics and --set.
std::string join_path(const std::string& base, std::string_view key);

// The node as flow-style YAML on one line, for messages and table cells:
// {exponential: {mean: 10h}}, [1, 2], ~ for null.
std::string flow_text(const ConfigNode& v);

}  // namespace salesflow::input
