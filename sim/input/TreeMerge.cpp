#include "input/TreeMerge.hpp"

#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "input/DistributionReader.hpp"
#include "input/TextUtil.hpp"

namespace salesflow::input {
namespace {

bool is_named_list_key(const std::string& path) { return path == "sources" || path == "stages" || path == "roles"; }

bool is_family(const std::string& key) {
    for (const auto& f : DistributionReader::family_names())
        if (f == key) return true;
    return false;
}

// A map of exactly one key that names a distribution family.
const std::string* single_family(const ConfigNode& n) {
    if (!n.is_map() || n.entries().size() != 1 || !is_family(n.entries().front().key)) return nullptr;
    return &n.entries().front().key;
}

void merge_value(ConfigNode& base, const ConfigNode& overlay, const std::string& path, Diagnostics& diags);

void merge_map(ConfigNode& base, const ConfigNode& overlay, const std::string& path, Diagnostics& diags) {
    // Keys of the base by name: merging two large maps stays linear.
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < base.entries().size(); ++i) index.emplace(base.entries()[i].key, i);
    for (const auto& e : overlay.entries()) {
        const std::string key_path = join_path(path, e.key);
        if (const auto it = index.find(e.key); it != index.end()) {
            ConfigNode::Entry& b = base.entries()[it->second];
            b.key_pos = e.key_pos;
            merge_value(b.value, e.value, key_path, diags);
        } else {
            index.emplace(e.key, base.entries().size());
            base.entries().push_back(ConfigNode::Entry{e.key, e.key_pos, e.value});
        }
    }
    // The merged map now "is" the overlay's: a missing required key is reported in the
    // most derived file, the one the user is editing.
    base.set_pos(overlay.pos());
}

void merge_named_list(ConfigNode& base, const ConfigNode& overlay, const std::string& path, Diagnostics& diags) {
    std::unordered_set<std::string> seen;  // names given in this overlay list, to catch repeats
    std::unordered_map<std::string, std::size_t> by_name;  // base items by name (the last of a name)
    const auto reindex = [&] {
        by_name.clear();
        for (std::size_t i = 0; i < base.items().size(); ++i) by_name[base.items()[i].item_name()] = i;
    };
    reindex();
    for (const auto& item : overlay.items()) {
        const std::string name = item.item_name();
        if (name.empty()) {
            base.push_back(item);  // no usable name: validation will say so
            continue;
        }
        const ConfigNode* name_node = item.find("name");
        if (!seen.insert(name).second)
            diags.add(name_node->pos(), join_path(path, name), "the name " + quote(name) + " is given twice in this list");

        auto& items = base.items();
        const auto named = by_name.find(name);
        const std::size_t found = named == by_name.end() ? items.size() : named->second;

        ConfigNode patch = item;
        bool remove = false;
        if (const ConfigNode::Entry* r = item.find_entry("remove")) {
            const ConfigNode& v = r->value;
            if (v.is_scalar() && !v.quoted() && (v.text() == "true" || v.text() == "True" || v.text() == "TRUE")) {
                remove = true;
            } else if (!(v.is_scalar() && !v.quoted() && (v.text() == "false" || v.text() == "False" || v.text() == "FALSE"))) {
                diags.add(v.pos(), join_path(join_path(path, name), "remove"), "must be true or false, got " + describe(v));
                continue;
            }
            if (remove && found == items.size()) {
                std::vector<std::string> names;
                for (const auto& b : items) if (!b.item_name().empty()) names.push_back(b.item_name());
                diags.add(r->key_pos, join_path(join_path(path, name), "remove"),
                          "there is no inherited item named " + quote(name) + " to remove" +
                              (names.empty() ? std::string() : suggestion(name, names)));
                continue;
            }
            patch.erase("remove");
        }
        if (remove) {
            items.erase(items.begin() + static_cast<std::ptrdiff_t>(found));
            reindex();
        } else if (found < items.size()) {
            merge_map(items[found], patch, join_path(path, name), diags);
        } else {
            by_name[name] = items.size();
            items.push_back(std::move(patch));
        }
    }
    base.set_pos(overlay.pos());
}

void merge_value(ConfigNode& base, const ConfigNode& overlay, const std::string& path, Diagnostics& diags) {
    if (base.is_map() && overlay.is_map()) {
        const std::string* fb = single_family(base);
        const std::string* fo = single_family(overlay);
        if (fb && fo && *fb != *fo) {
            base = overlay;  // a different distribution, not a blend of two
            return;
        }
        merge_map(base, overlay, path, diags);
        return;
    }
    if (is_named_list_key(path) && base.is_sequence() && overlay.is_sequence()) {
        merge_named_list(base, overlay, path, diags);
        return;
    }
    base = overlay;
}

}  // namespace

void merge_tree(ConfigNode& base, const ConfigNode& overlay, Diagnostics& diags) {
    merge_value(base, overlay, "", diags);
}

}  // namespace salesflow::input
