#include "input/MapReader.hpp"

#include "input/TextUtil.hpp"

namespace salesflow::input {

MapReader::MapReader(const ConfigNode& node, std::string path, const std::vector<std::string>& allowed,
                     Diagnostics& diags, std::string_view what)
    : node_(node), path_(std::move(path)), diags_(diags) {
    if (!node_.is_map()) {
        const std::string expected = what.empty() ? std::string("a map with the keys ") + join(allowed) : std::string(what);
        diags_.add(node_.pos(), path_, "must be " + expected + ", got " + describe(node_));
        return;
    }
    for (const auto& e : node_.entries()) {
        bool known = false;
        for (const auto& a : allowed) known = known || a == e.key;
        if (known) continue;
        std::string msg = "unknown key " + quote(e.key);
        if (e.key == "<<") msg += " (YAML merge keys are not supported; use extends to build on another file)";
        else msg += suggestion(e.key, allowed);
        diags_.add(e.key_pos, join_path(path_, e.key), msg);
    }
}

const ConfigNode* MapReader::get(std::string_view key) const {
    if (!node_.is_map()) return nullptr;
    const ConfigNode* v = node_.find(key);
    return (v && !v->is_null()) ? v : nullptr;
}

const ConfigNode* MapReader::require(std::string_view key) const {
    if (!node_.is_map()) return nullptr;
    const ConfigNode* v = node_.find(key);
    if (!v) {
        diags_.add(node_.pos(), path(key), "required key " + quote(key) + " is missing");
        return nullptr;
    }
    if (v->is_null()) {
        diags_.add(v->pos(), path(key), "required key " + quote(key) + " has no value");
        return nullptr;
    }
    return v;
}

const Position& MapReader::key_pos(std::string_view key) const {
    if (node_.is_map())
        if (const auto* e = node_.find_entry(key)) return e->key_pos;
    return node_.pos();
}

}  // namespace salesflow::input
