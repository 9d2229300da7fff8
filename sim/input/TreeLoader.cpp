#include "input/TreeLoader.hpp"

#include <filesystem>
#include <vector>

#include "input/InputError.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"
#include "input/TreeMerge.hpp"
#include "input/YamlParser.hpp"

namespace salesflow::input {
namespace {

namespace fs = std::filesystem;

struct ChainLink {
    std::string shown;      // the path as printed in messages
    std::string identity;   // canonical path, to recognise a file reached by two spellings
};

std::string identity_of(const std::string& path) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::path(path), ec);
    return ec ? fs::path(path).lexically_normal().string() : p.string();
}

std::optional<ConfigNode> resolve(ConfigNode tree, const std::string& shown, std::vector<ChainLink>& chain,
                                  Diagnostics& diags);

// Reads one file of the chain; `from` is the extends key that named it, if any.
std::optional<ConfigNode> load_file(const std::string& shown, const Position* from, std::vector<ChainLink>& chain,
                                    Diagnostics& diags) {
    std::string error;
    const auto text = read_text_file(shown, max_scenario_bytes, error);
    if (!text) {
        if (from) diags.add(*from, "extends", "cannot load " + quote(shown) + ": " + error.substr(error.find(':') + 2));
        else diags.add(Position{shown, 0, 0}, "", error);
        return std::nullopt;
    }
    auto tree = parse_yaml(*text, shown, diags);
    if (!tree) return std::nullopt;
    return resolve(std::move(*tree), shown, chain, diags);
}

// Applies the `extends` of an already parsed tree, if it has one.
std::optional<ConfigNode> resolve(ConfigNode tree, const std::string& shown, std::vector<ChainLink>& chain,
                                  Diagnostics& diags) {
    const ConfigNode::Entry* ext = tree.find_entry("extends");
    if (!ext || ext->value.is_null()) {
        tree.erase("extends");
        return tree;
    }
    const ConfigNode& v = ext->value;
    if (!v.is_scalar() || v.text().empty()) {
        diags.add(v.pos(), "extends", "must be the path of a scenario file, got " + describe(v));
        return std::nullopt;
    }
    const std::string base = path_relative_to(shown, v.text());
    const std::string id = identity_of(base);
    for (const auto& link : chain) {
        if (link.identity == id) {
            std::string cycle;
            for (const auto& l : chain) cycle += l.shown + " -> ";
            cycle += base;
            diags.add(ext->key_pos, "extends", "the files extend each other in a cycle: " + cycle);
            return std::nullopt;
        }
    }
    if (static_cast<int>(chain.size()) >= max_extends_depth) {
        diags.add(ext->key_pos, "extends",
                  "the extends chain is longer than " + std::to_string(max_extends_depth) + " files");
        return std::nullopt;
    }
    chain.push_back(ChainLink{base, id});
    const Position from = ext->key_pos;
    auto merged = load_file(base, &from, chain, diags);
    chain.pop_back();
    if (!merged) return std::nullopt;
    tree.erase("extends");
    merge_tree(*merged, tree, diags);
    return merged;
}

}  // namespace

std::optional<ConfigNode> load_tree(const std::string& path, Diagnostics& diags) {
    std::vector<ChainLink> chain{ChainLink{path, identity_of(path)}};
    return load_file(path, nullptr, chain, diags);
}

ConfigNode load_tree(const std::string& path) {
    Diagnostics diags;
    auto tree = load_tree(path, diags);
    diags.throw_if_any();
    if (!tree) throw InputError({Diagnostic(Position{path, 0, 0}, "", "cannot load the scenario")});
    return std::move(*tree);
}

std::optional<ConfigNode> load_tree_from_text(const std::string& text, const std::string& file, Diagnostics& diags) {
    auto tree = parse_yaml(text, file, diags);
    if (!tree) return std::nullopt;
    std::vector<ChainLink> chain{ChainLink{file, identity_of(file)}};
    return resolve(std::move(*tree), file, chain, diags);
}

}  // namespace salesflow::input
