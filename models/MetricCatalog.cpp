#include "models/MetricCatalog.hpp"

#include <memory>
#include <tuple>

#include "models/engine/Components.hpp"

namespace salesflow::model {

const char* direction_name(Direction d) {
    switch (d) {
        case Direction::higher: return "higher";
        case Direction::lower: return "lower";
        case Direction::neither: return "neither";
    }
    return "neither";
}

const char* unit_name(Unit u) {
    switch (u) {
        case Unit::count: return "count";
        case Unit::hours: return "hours";
        case Unit::per_week: return "per_week";
        case Unit::share: return "share";
        case Unit::money: return "money";
        case Unit::money_per_person_year: return "money_per_person_year";
        case Unit::money_per_win: return "money_per_win";
        case Unit::leads: return "leads";
        case Unit::ratio: return "ratio";
    }
    return "count";
}

MetricCatalog::MetricCatalog(const ScenarioConfig& cfg) {
    // The declarations come from the same report() calls that write a replication's
    // values, on components that have not run (their values are never asked for).
    const auto components = std::make_unique<engine::Components>();
    DeclareMetrics sink{*this};
    std::apply([&](const auto&... c) {
        ([&](const auto& component) {
            if constexpr (requires { component.report(cfg, sink); }) component.report(cfg, sink);
        }(c), ...);
    }, *components);
}

void MetricCatalog::add(MetricInfo info) {
    names_.push_back(info.name);
    metrics_.push_back(std::move(info));
}

int MetricCatalog::index_of(const std::string& name) const {
    for (std::size_t i = 0; i < names_.size(); ++i)
        if (names_[i] == name) return static_cast<int>(i);
    return -1;
}

}  // namespace salesflow::model
