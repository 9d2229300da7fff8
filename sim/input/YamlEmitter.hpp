#pragma once
// YamlEmitter: a ConfigNode back to YAML text (block style, keys in their order), such
// that parsing the text gives the same tree: plain scalars stay plain (numbers stay
// numbers), quoted ones stay text. Used for ScenarioConfig::resolved_yaml, the record of
// exactly what ran after extends and --set.
#include <string>

#include "input/ConfigNode.hpp"

namespace salesflow::input {

std::string emit_yaml(const ConfigNode& node);

}  // namespace salesflow::input
