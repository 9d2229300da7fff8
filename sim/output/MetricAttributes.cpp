#include "output/MetricAttributes.hpp"

namespace salesflow::output {

void write_metric_attributes(ResultsFile& file, const std::string& table, const std::vector<model::MetricInfo>& metrics) {
    std::vector<std::string> names, units, directions, labels;
    for (const auto& m : metrics) {
        names.push_back(m.name);
        units.emplace_back(model::unit_name(m.unit));
        directions.emplace_back(model::direction_name(m.direction));
        labels.push_back(m.label);
    }
    file.set_string_array_attribute(table, "metric_names", names);
    file.set_string_array_attribute(table, "metric_units", units);
    file.set_string_array_attribute(table, "metric_directions", directions);
    file.set_string_array_attribute(table, "metric_labels", labels);
}

}  // namespace salesflow::output
