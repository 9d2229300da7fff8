// `salesflow validate`: check every file, report every problem, write nothing.
#include <iostream>

#include "app/Commands.hpp"
#include "app/ConsoleReport.hpp"
#include "app/ScenarioInput.hpp"
#include "input/InputError.hpp"
#include "models/TrafficEstimate.hpp"

namespace salesflow::app {

int validate_command(const Settings& settings) {
    int status = 0;
    for (const auto& f : settings.files) {
        try {
            const auto cfg = load_for_command(f, settings.overrides);
            if (!settings.quiet) {
                std::cout << f << ": ok (scenario '" << cfg.name << "')\n";
                print_estimate(std::cout, cfg, model::estimate_traffic(cfg));
            }
        } catch (const input::InputError& e) {
            std::cerr << e.what() << "\n";
            status = 2;
        }
    }
    return status;
}

}  // namespace salesflow::app
