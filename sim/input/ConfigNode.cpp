#include "input/ConfigNode.hpp"

#include <algorithm>

namespace salesflow::input {

ConfigNode ConfigNode::null(Position pos) {
    ConfigNode n;
    n.pos_ = std::move(pos);
    return n;
}

ConfigNode ConfigNode::scalar(std::string text, bool quoted, Position pos) {
    ConfigNode n;
    n.kind_ = Kind::scalar;
    n.text_ = std::move(text);
    n.quoted_ = quoted;
    n.pos_ = std::move(pos);
    return n;
}

ConfigNode ConfigNode::sequence(Position pos) {
    ConfigNode n;
    n.kind_ = Kind::sequence;
    n.pos_ = std::move(pos);
    return n;
}

ConfigNode ConfigNode::map(Position pos) {
    ConfigNode n;
    n.kind_ = Kind::map;
    n.pos_ = std::move(pos);
    return n;
}

void ConfigNode::push_back(ConfigNode item) { items_.push_back(std::move(item)); }

const std::vector<ConfigNode::Entry>& ConfigNode::entries() const { return entries_; }
std::vector<ConfigNode::Entry>& ConfigNode::entries() { return entries_; }

const ConfigNode::Entry* ConfigNode::find_entry(std::string_view key) const {
    // Linear search: scenario maps have a handful of keys, and order must be kept anyway.
    for (const auto& e : entries_) if (e.key == key) return &e;
    return nullptr;
}

ConfigNode::Entry* ConfigNode::find_entry(std::string_view key) {
    for (auto& e : entries_) if (e.key == key) return &e;
    return nullptr;
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
    const Entry* e = find_entry(key);
    return e ? &e->value : nullptr;
}

ConfigNode* ConfigNode::find(std::string_view key) {
    Entry* e = find_entry(key);
    return e ? &e->value : nullptr;
}

ConfigNode& ConfigNode::set(std::string key, Position key_pos, ConfigNode value) {
    if (Entry* e = find_entry(key)) {
        e->key_pos = std::move(key_pos);
        e->value = std::move(value);
        return e->value;
    }
    entries_.push_back(Entry{std::move(key), std::move(key_pos), std::move(value)});
    return entries_.back().value;
}

bool ConfigNode::erase(std::string_view key) {
    const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    if (it == entries_.end()) return false;
    entries_.erase(it);
    return true;
}

std::string ConfigNode::item_name() const {
    if (!is_map()) return {};
    const ConfigNode* n = find("name");
    return (n && n->is_scalar()) ? n->text() : std::string();
}

std::size_t ConfigNode::count_nodes() const {
    std::size_t n = 1;
    for (const auto& i : items_) n += i.count_nodes();
    for (const auto& e : entries_) n += e.value.count_nodes();
    return n;
}

bool ConfigNode::same_content(const ConfigNode& other) const {
    if (kind_ != other.kind_) return false;
    switch (kind_) {
    case Kind::null: return true;
    case Kind::scalar: return text_ == other.text_ && quoted_ == other.quoted_;
    case Kind::sequence:
        if (items_.size() != other.items_.size()) return false;
        for (std::size_t i = 0; i < items_.size(); ++i)
            if (!items_[i].same_content(other.items_[i])) return false;
        return true;
    case Kind::map:
        if (entries_.size() != other.entries_.size()) return false;
        for (std::size_t i = 0; i < entries_.size(); ++i)
            if (entries_[i].key != other.entries_[i].key || !entries_[i].value.same_content(other.entries_[i].value))
                return false;
        return true;
    }
    return false;
}

std::string join_path(const std::string& base, std::string_view key) {
    if (base.empty()) return std::string(key);
    std::string out = base;
    out += '.';
    out += key;
    return out;
}

std::string flow_text(const ConfigNode& v) {
    if (v.is_scalar()) return v.text();
    if (v.is_null()) return "~";
    std::string out;
    if (v.is_sequence()) {
        out = "[";
        for (std::size_t i = 0; i < v.items().size(); ++i) out += (i ? ", " : "") + flow_text(v.items()[i]);
        return out + "]";
    }
    out = "{";
    for (std::size_t i = 0; i < v.entries().size(); ++i)
        out += (i ? ", " : "") + v.entries()[i].key + ": " + flow_text(v.entries()[i].value);
    return out + "}";
}

}  // namespace salesflow::input
