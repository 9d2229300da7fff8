// The full engine (every mechanism's hooks), and SalesModel, which picks a variant.
#include "models/engine/EngineImpl.hpp"

namespace salesflow::model::engine {

namespace {
class FullEngine final : public EngineVariant {
public:
    FullEngine(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options)
        : engine_(cfg, catalog, std::move(options)) {}
    ReplicationOutput run(int rep) override { return engine_.run(rep); }

private:
    Engine<false> engine_;
};
}  // namespace

std::unique_ptr<EngineVariant> make_full_engine(const ScenarioConfig& cfg, const MetricCatalog& catalog,
                                                ModelOptions options) {
    return std::make_unique<FullEngine>(cfg, catalog, std::move(options));
}

}  // namespace salesflow::model::engine

namespace salesflow::model {

// The lean variant when the scenario switches on none of the optional mechanisms (the
// same results, fewer instructions per event), the full one otherwise.
class SalesModel::Impl {
public:
    Impl(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options)
        : engine_(engine::optional_mechanisms_off(cfg, options) ? engine::make_lean_engine(cfg, catalog, std::move(options))
                                                       : engine::make_full_engine(cfg, catalog, std::move(options))) {}
    ReplicationOutput run(int rep) { return engine_->run(rep); }

private:
    std::unique_ptr<engine::EngineVariant> engine_;
};

SalesModel::SalesModel(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options)
    : impl_(std::make_unique<Impl>(cfg, catalog, std::move(options))) {}
SalesModel::~SalesModel() = default;
ReplicationOutput SalesModel::run(int rep) { return impl_->run(rep); }

}  // namespace salesflow::model
