#pragma once
// TreeMerge: applying one scenario tree on top of another, the meaning of `extends`.
// Maps merge key by key; the lists of named items `sources`, `stages` and `roles` merge
// item by item by `name` (a new name is appended in order, `remove: true` drops the
// inherited item); any other value is replaced. A distribution written with a different
// family than the inherited one replaces it rather than merging into a map with two
// families; with the same family its parameters merge key by key.
#include <string>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"

namespace salesflow::input {

// Applies `overlay` (a file's top-level map, without its `extends` key) onto `base`.
// Problems (`remove` of an item that is not inherited, a name given twice in one list,
// a `remove` that is not a boolean) are reported; merging carries on.
void merge_tree(ConfigNode& base, const ConfigNode& overlay, Diagnostics& diags);

}  // namespace salesflow::input
