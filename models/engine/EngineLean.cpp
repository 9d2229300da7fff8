// The lean engine: the optional mechanisms compiled out of every per-event hook (see
// Components.hpp); SalesModel (Engine.cpp) runs it when the scenario switches none on.
#include "models/engine/EngineImpl.hpp"

namespace salesflow::model::engine {

namespace {
class LeanEngine final : public EngineVariant {
public:
    LeanEngine(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options)
        : engine_(cfg, catalog, std::move(options)) {}
    ReplicationOutput run(int rep) override { return engine_.run(rep); }

private:
    Engine<true> engine_;
};
}  // namespace

std::unique_ptr<EngineVariant> make_lean_engine(const ScenarioConfig& cfg, const MetricCatalog& catalog,
                                                ModelOptions options) {
    return std::make_unique<LeanEngine>(cfg, catalog, std::move(options));
}

}  // namespace salesflow::model::engine
