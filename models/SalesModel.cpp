#include "models/SalesModel.hpp"

#include "models/engine/Engine.hpp"

namespace salesflow::model {

class SalesModel::Impl : public engine::Engine {
public:
    using engine::Engine::Engine;
};

SalesModel::SalesModel(const ScenarioConfig& cfg, const MetricCatalog& catalog, ModelOptions options)
    : impl_(std::make_unique<Impl>(cfg, catalog, std::move(options))) {}
SalesModel::~SalesModel() = default;
ReplicationOutput SalesModel::run(int rep) { return impl_->run(rep); }

}  // namespace salesflow::model
