#pragma once
// The attributes that say what each metric column of a table means: metric_names,
// metric_units, metric_directions and metric_labels (docs/results-format.md), written
// the same way on a run's replications table and on a sweep's tables.
#include <string>
#include <vector>

#include "models/MetricCatalog.hpp"
#include "output/ResultsFile.hpp"

namespace salesflow::output {

void write_metric_attributes(ResultsFile& file, const std::string& table, const std::vector<model::MetricInfo>& metrics);

}  // namespace salesflow::output
