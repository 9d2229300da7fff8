#pragma once
// YamlParser: YAML text -> ConfigNode, with positions and with the checks that yaml-cpp
// 0.7 itself does not make. It refuses, as diagnostics with their position: text that is
// not UTF-8 or holds control characters (binary files), syntax errors, duplicate keys,
// keys that are not scalars, more than one document, unterminated quoted strings at the
// end of a line, aliases that contain themselves, nesting deeper than max_depth and
// documents (after alias expansion) larger than max_nodes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"

namespace salesflow::input {

struct YamlParseOptions {
    // A scenario file must be a map at the top; a --set VALUE may be anything.
    bool top_level_map = true;
    // Added to the columns of line 1: a --set VALUE starts inside its argument.
    int first_line_column_offset = 0;
    std::size_t max_depth = 64;
    std::size_t max_nodes = 200000;
};

// Parses `text` (the content of `file`, which is only used in positions). Returns nullopt
// when the text cannot be used at all; problems that still leave a usable tree (duplicate
// keys) are reported and the tree is returned.
std::optional<ConfigNode> parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                                     const YamlParseOptions& options = {});

}  // namespace salesflow::input
