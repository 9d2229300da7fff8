#pragma once
// MapReader: one map of the scenario whose allowed keys are known at that place. It
// reports, once, a value that is not a map and every unknown key (with the nearest
// allowed key as a suggestion), and then hands out the values of known keys.
#include <string>
#include <string_view>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"

namespace salesflow::input {

class MapReader {
public:
    // `what` names the expected content in the "must be a map" message, e.g.
    // "a map {hours_per_day, days_per_week, day_start}".
    MapReader(const ConfigNode& node, std::string path, const std::vector<std::string>& allowed, Diagnostics& diags,
              std::string_view what = {});

    bool is_map() const { return node_.is_map(); }
    const ConfigNode& node() const { return node_; }
    const std::string& path() const { return path_; }
    std::string path(std::string_view key) const { return join_path(path_, key); }

    // The value of `key`, or nullptr when the key is absent or its value is empty (a
    // null value means "use the default", which lets an extending file reset a key).
    const ConfigNode* get(std::string_view key) const;
    // Same, but reports a missing key at the position of this map.
    const ConfigNode* require(std::string_view key) const;
    // Where `key` is written, or the map's position when it is absent.
    const Position& key_pos(std::string_view key) const;

private:
    const ConfigNode& node_;
    std::string path_;
    Diagnostics& diags_;
};

}  // namespace salesflow::input
