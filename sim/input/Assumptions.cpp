#include "input/Assumptions.hpp"

#include <stdexcept>

#include "design/InverseCdf.hpp"
#include "input/DistributionReader.hpp"
#include "input/Quantities.hpp"
#include "input/SetOverride.hpp"
#include "input/TextUtil.hpp"
#include "input/ValueReader.hpp"

namespace salesflow::input {

std::vector<Assumption> read_assumptions(const ConfigNode& block, const std::string& where, const ConfigNode* root,
                                         Diagnostics& diags) {
    std::vector<Assumption> out;
    ValueReader values(diags);
    DistributionReader dists(values);
    if (!block.is_map()) {
        diags.add(block.pos(), where,
                  "must map dotted PATHs to distributions, e.g. {handoff.delay: {uniform: {min: 4h, max: 2d}}}, got " +
                      describe(block));
        return out;
    }
    for (const auto& e : block.entries()) {
        const std::string path = join_path(where, e.key);
        const std::size_t before = diags.size();
        if (root) {
            const ConfigNode* target = find_path(*root, e.key);
            if (!target || e.key == "assumptions" || e.key.rfind("assumptions.", 0) == 0) {
                diags.add(e.key_pos, path, "no such value in the scenario: the PATH must lead to a value the scenario sets"
                                           " (write it in the scenario first, e.g. its current value), got " + quote(e.key));
                continue;
            }
            if (!target->is_scalar()) {
                diags.add(e.key_pos, path, "the PATH must lead to a single value (a number or duration), but it is " +
                                               describe(*target) + ", got " + quote(e.key));
                continue;
            }
        }
        if (!e.value.is_map()) {
            diags.add(e.value.pos(), path, "must be a distribution such as {triangular: {min: 1, mode: 1.3, max: 1.8}}, got " +
                                               describe(e.value));
            continue;
        }
        ConfigNode dist = ConfigNode::map(e.value.pos());
        std::string why;
        for (const auto& f : e.value.entries()) {
            if (f.key == "why") {
                if (const auto t = values.text(f.value, join_path(path, "why"))) why = *t;
            } else {
                dist.set(f.key, f.key_pos, f.value);
            }
        }
        if (dist.entries().empty()) {
            diags.add(e.value.pos(), path, "no distribution given (only `why`)");
            continue;
        }
        const auto spec = dists.read(dist, path, QuantityKind::time);
        if (!spec || diags.size() != before) continue;
        if (spec->family == kernel::DistFamily::constant) {
            diags.add(e.value.pos(), path, "an uncertain assumption needs a distribution, not a constant, got " + describe(dist));
            continue;
        }
        try {
            (void)design::InverseCdf(*spec);
        } catch (const std::invalid_argument& err) {
            diags.add(e.value.pos(), path, std::string(err.what()) + ", got " + describe(dist));
            continue;
        }
        out.push_back(Assumption{e.key, e.key_pos, *spec, why, e.value});
    }
    return out;
}

std::string assumption_value_text(double v) { return format_number(v); }

}  // namespace salesflow::input
