#include "app/ThreadModel.hpp"

#include <memory>
#include <stdexcept>
#include <string>

#include "models/MetricCatalog.hpp"
#include "models/SalesModel.hpp"

namespace salesflow::app {

namespace {
struct Slot {
    const void* owner = nullptr;
    long long key = -1;
    std::unique_ptr<model::ScenarioConfig> cfg;
    std::unique_ptr<model::MetricCatalog> catalog;
    std::unique_ptr<model::SalesModel> model;
};
}  // namespace

ItemResult run_on_thread_model(const void* owner, long long key, const std::function<model::ScenarioConfig()>& make,
                               int rep, std::size_t expected_metrics) {
    thread_local Slot slot;
    if (slot.owner != owner || slot.key != key || !slot.model) {
        slot.model.reset();  // it refers to the old scenario and catalogue
        slot.cfg = std::make_unique<model::ScenarioConfig>(make());
        slot.catalog = std::make_unique<model::MetricCatalog>(*slot.cfg);
        if (expected_metrics != 0 && slot.catalog->size() != expected_metrics)
            throw std::runtime_error("scenario '" + slot.cfg->name + "' (item group " + std::to_string(key) +
                                     ") has a different set of metrics");
        slot.model = std::make_unique<model::SalesModel>(*slot.cfg, *slot.catalog);
        slot.owner = owner;
        slot.key = key;
    }
    return slot.model->run(rep).metrics;
}

}  // namespace salesflow::app
