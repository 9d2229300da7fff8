#include "input/ScenarioLoader.hpp"

#include <filesystem>

#include "input/Diagnostics.hpp"
#include "input/InputError.hpp"
#include "input/ScenarioBuilder.hpp"
#include "input/SetOverride.hpp"
#include "input/TextFile.hpp"
#include "input/TreeLoader.hpp"
#include "input/YamlEmitter.hpp"

namespace salesflow::input {
namespace {

// Whether tree_for_record would change anything (a source with a trace path); copying
// the whole tree for nothing costs more than reading it.
bool has_trace(const ConfigNode& root) {
    const ConfigNode* sources = root.find("sources");
    if (!sources || !sources->is_sequence()) return false;
    for (const auto& item : sources->items()) {
        if (!item.is_map()) continue;
        const ConfigNode* t = item.find("trace");
        if (t && t->is_scalar() && !t->text().empty()) return true;
    }
    return false;
}

model::ScenarioConfig finish(std::optional<ConfigNode> tree, const std::string& file,
                             const std::vector<std::string>& sets, Diagnostics& diags) {
    // A tree that could not be read at all stops here; anything else carries on, so that
    // problems in overrides and values are reported together with, say, a duplicate key.
    if (!tree) {
        diags.throw_if_any();
        throw InputError({Diagnostic(Position{file, 0, 0}, "", "cannot load the scenario")});
    }
    for (const auto& s : sets)
        if (auto arg = parse_set_argument(s, diags)) apply_set(*tree, arg->path, arg->value, arg->path_pos, diags);
    model::ScenarioConfig cfg = ScenarioBuilder(diags).build(*tree);
    diags.throw_if_any();
    cfg.source_file = file;
    cfg.resolved_yaml = has_trace(*tree) ? emit_yaml(tree_for_record(*tree)) : emit_yaml(*tree);
    return cfg;
}

}  // namespace

ConfigNode tree_for_record(const ConfigNode& root) {
    ConfigNode out = root;
    ConfigNode* sources = out.find("sources");
    if (!sources || !sources->is_sequence()) return out;
    for (auto& item : sources->items()) {
        if (!item.is_map()) continue;
        ConfigNode::Entry* t = item.find_entry("trace");
        if (!t || !t->value.is_scalar() || t->value.text().empty()) continue;
        const std::string shown = path_relative_to(t->value.pos().file, t->value.text());
        const std::string absolute = std::filesystem::absolute(std::filesystem::path(shown)).lexically_normal().string();
        t->value = ConfigNode::scalar(absolute, true, t->value.pos());
    }
    return out;
}

model::ScenarioConfig build_scenario(const ConfigNode& root, const std::string& source_file) {
    Diagnostics diags;
    return finish(root, source_file, {}, diags);
}

model::ScenarioConfig load_scenario(const std::string& path, const std::vector<std::string>& sets) {
    Diagnostics diags;
    auto tree = load_tree(path, diags);
    return finish(std::move(tree), path, sets, diags);
}

model::ScenarioConfig load_scenario_text(const std::string& yaml, const std::string& file,
                                         const std::vector<std::string>& sets) {
    Diagnostics diags;
    auto tree = load_tree_from_text(yaml, file, diags);
    return finish(std::move(tree), file, sets, diags);
}

}  // namespace salesflow::input
