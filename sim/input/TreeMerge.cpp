#include "input/TreeMerge.hpp"

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
    for (const auto& e : overlay.entries()) {
        const std::string key_path = join_path(path, e.key);
        if (ConfigNode::Entry* b = base.find_entry(e.key)) {
            b->key_pos = e.key_pos;
            merge_value(b->value, e.value, key_path, diags);
        } else {
            base.set(e.key, e.key_pos, e.value);
        }
    }
    // The merged map now "is" the overlay's: a missing required key is reported in the
    // most derived file, the one the user is editing.
    base.set_pos(overlay.pos());
}

void merge_named_list(ConfigNode& base, const ConfigNode& overlay, const std::string& path, Diagnostics& diags) {
    std::vector<std::string> seen;  // names given in this overlay list, to catch repeats
    for (const auto& item : overlay.items()) {
        const std::string name = item.item_name();
        if (name.empty()) {
            base.push_back(item);  // no usable name: validation will say so
            continue;
        }
        const ConfigNode* name_node = item.find("name");
        for (const auto& s : seen) {
            if (s == name) {
                diags.add(name_node->pos(), join_path(path, name), "the name " + quote(name) + " is given twice in this list");
                break;
            }
        }
        seen.push_back(name);

        auto& items = base.items();
        std::size_t found = items.size();
        for (std::size_t i = 0; i < items.size(); ++i)
            if (items[i].item_name() == name) found = i;

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
        } else if (found < items.size()) {
            merge_map(items[found], patch, join_path(path, name), diags);
        } else {
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
