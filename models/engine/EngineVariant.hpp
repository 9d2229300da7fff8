#pragma once
// One variant of the engine, as SalesModel sees it: run() is its only call (once per
// replication, so one virtual call there costs nothing per event). The full engine
// (Engine.cpp) and the lean one (EngineLean.cpp, every optional mechanism compiled out of
// the per-event hooks) are compiled in separate files; SalesModel picks the lean one when
// the scenario switches none of them on (Components.hpp, optional_mechanisms_off).
#include <memory>

#include "models/MetricCatalog.hpp"
#include "models/SalesModel.hpp"
#include "models/ScenarioConfig.hpp"

namespace salesflow::model::engine {

class EngineVariant {
public:
    virtual ~EngineVariant() = default;
    virtual ReplicationOutput run(int rep) = 0;
};

std::unique_ptr<EngineVariant> make_full_engine(const ScenarioConfig& cfg, const MetricCatalog& catalog,
                                                ModelOptions options);
std::unique_ptr<EngineVariant> make_lean_engine(const ScenarioConfig& cfg, const MetricCatalog& catalog,
                                                ModelOptions options);

}  // namespace salesflow::model::engine
