#include "input/CurveReader.hpp"

#include "input/Quantities.hpp"
#include "input/TextUtil.hpp"

namespace salesflow::input {

std::optional<std::vector<model::CurvePoint>> read_curve(ValueReader& values, const ConfigNode& n,
                                                         const std::string& path, const Range& value_range) {
    const std::string form = "must be a list of 1 to " + std::to_string(max_curve_points) +
                             " points [time, value], e.g. [[0h, 1], [1h, 0.14], [24h, 0.017]]";
    if (!n.is_sequence() || n.items().empty() || n.items().size() > max_curve_points) {
        values.error(n.pos(), path,
                     form + ", got " +
                         (n.is_sequence() ? std::to_string(n.items().size()) + " points" : describe(n)));
        return std::nullopt;
    }
    std::vector<model::CurvePoint> curve;
    bool ok = true;
    for (std::size_t i = 0; i < n.items().size(); ++i) {
        const ConfigNode& item = n.items()[i];
        const std::string ip = path + "[" + std::to_string(i + 1) + "]";
        if (!item.is_sequence() || item.items().size() != 2) {
            values.error(item.pos(), ip, "must be a point [time, value], got " + describe(item));
            ok = false;
            continue;
        }
        const auto t = values.duration(item.items()[0], ip + "[1]");
        const auto v = values.number(item.items()[1], ip + "[2]", value_range);
        if (!t || !v) {
            ok = false;
            continue;
        }
        if (!curve.empty() && *t < curve.back().at_h) {
            values.error(item.items()[0].pos(), ip + "[1]",
                         "times must increase from point to point: " + format_number(*t) + " h comes after " +
                             format_number(curve.back().at_h) + " h, got " + describe(item.items()[0]));
            ok = false;
            continue;
        }
        // Two points at one time are a step; a third would leave the value there undefined.
        if (curve.size() >= 2 && *t == curve.back().at_h && curve[curve.size() - 2].at_h == *t) {
            values.error(item.items()[0].pos(), ip + "[1]",
                         "at most two points may share a time (a step): three at " + format_number(*t) +
                             " h, got " + describe(item.items()[0]));
            ok = false;
            continue;
        }
        curve.push_back(model::CurvePoint{*t, *v});
    }
    if (!ok) return std::nullopt;
    return curve;
}

}  // namespace salesflow::input
