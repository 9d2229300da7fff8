#include "app/ScenarioInput.hpp"

#include "input/InputError.hpp"
#include "input/ScenarioLoader.hpp"
#include "models/MetricCatalog.hpp"
#include "output/Table.hpp"
#include "input/TextFile.hpp"
#include "output/OutputTarget.hpp"

namespace salesflow::app {

std::vector<std::string> scenario_overrides(const ScenarioOverrides& o) {
    std::vector<std::string> sets = o.sets;
    if (o.replications) sets.push_back("simulation.replications=" + std::to_string(*o.replications));
    if (o.seed) sets.push_back("simulation.seed=" + std::to_string(*o.seed));
    return sets;
}

void check_output_path(const std::string& out) {
    std::vector<output::FileIdentity> inputs;
    for (const auto& f : input::files_read()) inputs.push_back({f.device, f.inode, f.path});
    output::check_output_target(out, inputs);
}

void check_results_fit(const model::ScenarioConfig& cfg, const std::vector<std::string>& extra_columns) {
    const model::MetricCatalog catalog(cfg);
    output::TableSchema schema;
    schema.add_int64("replication");
    for (const auto& c : extra_columns) schema.add_text(c);
    for (const auto& m : catalog.names()) schema.add_float64(m);
    if (output::Table::fits(schema)) return;
    input::Position where{cfg.source_file, 0, 0};
    throw input::InputError({input::Diagnostic(
        where, "stages",
        "the scenario's " + std::to_string(catalog.size()) + " metrics (" + std::to_string(cfg.stages.size()) +
            " stages, " + std::to_string(cfg.roles.size()) +
            " roles) are more columns than one results table can describe (HDF5 allows 64 KiB of column names "
            "and types per table): use fewer stages or roles, or shorter names")});
}

model::ScenarioConfig load_for_command(const std::string& file, const ScenarioOverrides& o) {
    auto cfg = input::load_scenario(file, scenario_overrides(o));
    check_results_fit(cfg);
    return cfg;
}

}  // namespace salesflow::app
