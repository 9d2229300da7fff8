#include "app/ScenarioInput.hpp"

#include "input/ScenarioLoader.hpp"
#include "input/TextFile.hpp"
#include "output/OutputTarget.hpp"

namespace salesflow::app {

std::vector<std::string> scenario_overrides(const CommandLine& cl) {
    std::vector<std::string> sets = cl.sets;
    if (cl.replications) sets.push_back("simulation.replications=" + std::to_string(*cl.replications));
    if (cl.seed) sets.push_back("simulation.seed=" + std::to_string(*cl.seed));
    return sets;
}

void check_output_path(const std::string& out) {
    std::vector<output::FileIdentity> inputs;
    for (const auto& f : input::files_read()) inputs.push_back({f.device, f.inode, f.path});
    output::check_output_target(out, inputs);
}

model::ScenarioConfig load_for_command(const std::string& file, const CommandLine& cl) {
    return input::load_scenario(file, scenario_overrides(cl));
}

}  // namespace salesflow::app
