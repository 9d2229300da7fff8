#pragma once
// DistributionReader: reads a random quantity of the scenario into a DistributionSpec:
// either a plain constant, or a map with exactly one key naming the family and its
// parameters (scenario-core.md, "Quantities"). What the quantity measures decides the
// parameter units and the admissible values: times take durations and never go
// negative, qualities lie in [0, 1], amounts (deal values) are numbers >= 0.
#include <optional>
#include <string>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/ValueReader.hpp"
#include "kernel/DistributionSpec.hpp"

namespace salesflow::input {

enum class QuantityKind { time, quality, amount };

class DistributionReader {
public:
    explicit DistributionReader(ValueReader& values) : values_(values) {}

    // Reports every problem and returns nullopt when there was one.
    std::optional<kernel::DistributionSpec> read(const ConfigNode& n, const std::string& path, QuantityKind kind);

    // Family names as written in scenario files, in the order of DistFamily.
    static const std::vector<std::string>& family_names();

private:
    std::optional<double> param(const ConfigNode& n, const std::string& path, QuantityKind kind, const Range& range);
    std::optional<double> value(const ConfigNode& n, const std::string& path, QuantityKind kind);
    std::optional<kernel::DistributionSpec> family(kernel::DistFamily f, const ConfigNode& v, const std::string& path,
                                                   QuantityKind kind);

    ValueReader& values_;
};

}  // namespace salesflow::input
