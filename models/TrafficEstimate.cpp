#include "models/TrafficEstimate.hpp"
#include "kernel/Time.hpp"
#include "models/mechanisms/SpeedToLead.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>
#include <limits>
#include <sstream>

#include <Eigen/Dense>
// Boost.Math in double precision throughout (no promotion to long double): the estimate
// needs a few digits, and x87 long double arithmetic is slow.
#define BOOST_MATH_PROMOTE_DOUBLE_POLICY false
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/triangular.hpp>

#include "kernel/Distribution.hpp"
#include "kernel/WorkingCalendar.hpp"

namespace salesflow::model {

namespace {

// poisson_scale multiplies the Poisson rate (speed_to_lead.normalise: the raw rate).
double mean_arrival_rate(const SourceConfig& s, double horizon, double poisson_scale = 1.0) {
    double rate = 0.0;
    if (s.kind == SourceKind::poisson) {
        double mult = 1.0;
        if (!s.seasonality.empty()) {
            mult = 0.0;
            for (double m : s.seasonality) mult += m;
            mult /= static_cast<double>(s.seasonality.size());
        }
        rate += s.rate_per_h * poisson_scale * mult;
    }
    if (s.kind == SourceKind::trace && horizon > 0.0) {
        double n = 0.0;
        for (const auto& row : s.trace) n += row.arrival_h <= horizon ? 1.0 : 0.0;
        rate += n / horizon;
    }
    if (horizon > 0.0)
        for (const auto& c : s.campaigns) rate += c.at_h <= horizon ? c.leads / horizon : 0.0;
    return rate;
}

// A quality distribution, clamped to [0, 1] as the model clamps a lead's quality, as
// point masses: the mass below 0 at 0, above 1 at 1, and that of each of `bins` equal
// intervals of [0, 1] at its midpoint (exact masses from the CDF, so densities that are
// infinite at an end are no harder than others).
std::vector<std::pair<double, double>> quality_masses(const kernel::DistributionSpec& d, int bins = 512) {
    using kernel::DistFamily;
    std::vector<std::pair<double, double>> out;
    if (d.family == DistFamily::constant) return {{std::clamp(d.p1, 0.0, 1.0), 1.0}};
    if (d.family == DistFamily::empirical) {
        for (double v : d.values) out.emplace_back(std::clamp(v, 0.0, 1.0), 1.0 / static_cast<double>(d.values.size()));
        return out;
    }
    if (d.family == DistFamily::uniform && !(d.p1 < d.p2)) return {{std::clamp(d.p1, 0.0, 1.0), 1.0}};
    std::function<double(double)> cdf;
    namespace bm = boost::math;
    switch (d.family) {
        case DistFamily::exponential: cdf = [m = d.p1](double x) { return x <= 0.0 ? 0.0 : -std::expm1(-x / m); }; break;
        case DistFamily::uniform:
            cdf = [a = d.p1, b = d.p2](double x) { return std::clamp((x - a) / (b - a), 0.0, 1.0); };
            break;
        case DistFamily::triangular:
            cdf = [t = bm::triangular_distribution<double>(d.p1, d.p2, d.p3), a = d.p1, c = d.p3](double x) {
                return bm::cdf(t, std::clamp(x, a, c));
            };
            break;
        case DistFamily::pert: {
            const double range = d.p3 - d.p1;
            const bm::beta_distribution<double> b(1.0 + 4.0 * (d.p2 - d.p1) / range, 1.0 + 4.0 * (d.p3 - d.p2) / range);
            cdf = [b, a = d.p1, range](double x) { return bm::cdf(b, std::clamp((x - a) / range, 0.0, 1.0)); };
            break;
        }
        case DistFamily::lognormal: {
            const double sigma2 = std::log1p((d.p2 * d.p2) / (d.p1 * d.p1));
            if (sigma2 <= 0.0) return {{std::clamp(d.p1, 0.0, 1.0), 1.0}};
            const bm::lognormal_distribution<double> ln(std::log(d.p1) - 0.5 * sigma2, std::sqrt(sigma2));
            cdf = [ln](double x) { return x <= 0.0 ? 0.0 : bm::cdf(ln, x); };
            break;
        }
        case DistFamily::gamma: {
            const bm::gamma_distribution<double> g(d.p1 * d.p1 / (d.p2 * d.p2), d.p2 * d.p2 / d.p1);
            cdf = [g](double x) { return x <= 0.0 ? 0.0 : bm::cdf(g, x); };
            break;
        }
        case DistFamily::beta: {
            const bm::beta_distribution<double> b(d.p1, d.p2);
            cdf = [b](double x) { return bm::cdf(b, std::clamp(x, 0.0, 1.0)); };
            break;
        }
        default: return {{0.5, 1.0}};
    }
    double prev = cdf(0.0);
    out.emplace_back(0.0, prev);  // at or below 0 (a continuous law: P(X <= 0))
    for (int k = 1; k <= bins; ++k) {
        const double hi = static_cast<double>(k) / bins;
        const double f = k == bins ? cdf(1.0) : cdf(hi);
        out.emplace_back((static_cast<double>(k) - 0.5) / bins, std::max(0.0, f - prev));
        prev = f;
    }
    out.emplace_back(1.0, std::max(0.0, 1.0 - prev));  // above 1
    return out;
}

}  // namespace

TrafficEstimate estimate_traffic(const ScenarioConfig& cfg) {
    TrafficEstimate est;
    const auto n = static_cast<Eigen::Index>(cfg.stages.size());
    const double horizon = cfg.simulation.horizon_h;

    // The arriving leads' qualities as a discrete distribution (weights = arrival rates
    // times probability masses), used to compute pass rates along the process: gates keep
    // leads estimated above the threshold, `advance: quality` keeps each lead with
    // probability = its quality. Prospecting sources are left out (their rate depends on
    // people's free time), unless there is nothing else, in which case their quality
    // still shapes the pass rates.
    std::vector<double> q, w;
    double external = 0.0;
    for (const auto& s : cfg.sources) external += mean_arrival_rate(s, horizon);
    bool prospecting = false;
    // speed_to_lead.normalise: typical: the raw rate enters the first stage, and a typical
    // firm keeps the written rate after its first visit (other curves are not estimated).
    double raw = 0.0, kept = 0.0;
    for (const auto& s : cfg.sources) {
        if (s.kind == SourceKind::prospecting) prospecting = true;
        const double rate = mean_arrival_rate(s, horizon);
        const double raw_rate = mean_arrival_rate(s, horizon, mechanisms::SpeedToLead::arrival_scale(s));
        est.arrivals_per_h += raw_rate;
        raw += raw_rate;
        kept += rate;
        const bool use = rate > 0.0 || (s.kind == SourceKind::prospecting && external <= 0.0);
        if (!use) continue;
        const double weight = rate > 0.0 ? rate : 1.0;
        for (const auto& [value, mass] : quality_masses(s.quality)) {
            q.push_back(value);
            w.push_back(weight * mass);
        }
    }

    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& st = cfg.stages[static_cast<std::size_t>(i)];
        double pass = 1.0;
        if (st.gate.enabled && !q.empty()) {
            // A lead passes when quality + noise >= threshold: Phi((q - threshold) / sd).
            double passed = 0.0, total = 0.0;
            for (std::size_t k = 0; k < q.size(); ++k) {
                total += w[k];
                const double p_pass = st.gate.noise_sd > 0.0
                                          ? 0.5 * std::erfc((st.gate.threshold - q[k]) / (st.gate.noise_sd * std::sqrt(2.0)))
                                          : (q[k] >= st.gate.threshold ? 1.0 : 0.0);
                w[k] *= p_pass;
                passed += w[k];
            }
            pass = total > 0.0 ? passed / total : 0.0;
        }
        double adv = st.advance_probability;
        if (st.advance_by_quality) {
            double sw = 0.0, swq = 0.0;
            for (std::size_t k = 0; k < q.size(); ++k) {
                sw += w[k];
                swq += w[k] * q[k];
            }
            adv = sw > 0.0 ? swq / sw : 0.0;
            for (std::size_t k = 0; k < q.size(); ++k) w[k] *= q[k];
        }
        if (i == 0 && raw > 0.0) pass *= kept / raw;  // lost to speed to lead at a typical firm
        const double rework = st.has_rework ? st.rework_probability : 0.0;
        if (st.has_rework) P(i, st.rework_to) += pass * rework;
        if (i + 1 < n) P(i, i + 1) += pass * (1.0 - rework) * adv;
    }
    est.routing.assign(static_cast<std::size_t>(n * n), 0.0);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) est.routing[static_cast<std::size_t>(i * n + j)] = P(i, j);

    // Traffic equations: v = e0 + P^T v, every lead enters at the first stage.
    Eigen::VectorXd e = Eigen::VectorXd::Zero(n);
    if (n > 0) e(0) = 1.0;
    const Eigen::MatrixXd A = Eigen::MatrixXd::Identity(n, n) - P.transpose();
    Eigen::FullPivLU<Eigen::MatrixXd> lu(A);
    Eigen::VectorXd v;
    if (lu.isInvertible()) {
        v = lu.solve(e);
    } else {
        v = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::infinity());
        est.stable = false;
        est.warnings.push_back("the rework loops never end (a stage sends every lead back): visits are unbounded");
    }
    for (Eigen::Index i = 0; i < n; ++i) {
        est.visits.push_back(v(i));
        est.stage_rate_per_h.push_back(est.arrivals_per_h * v(i));
    }

    // Offered hours: each stage's work is charged to its first (preferred) role.
    est.roles.assign(cfg.roles.size(), RoleLoad{});
    for (std::size_t i = 0; i < cfg.stages.size(); ++i) {
        const auto& st = cfg.stages[i];
        const int r = st.roles.front();
        const auto& rc = cfg.roles[static_cast<std::size_t>(r)];
        const double eff = rc.efficiency.empty() ? 1.0 : rc.efficiency[i];
        double effort = kernel::Distribution(st.effort).mean() / eff;
        if (cfg.handoff.enabled() && i > 0 && cfg.stages[i - 1].roles.front() != r)
            effort += kernel::Distribution(cfg.handoff.effort).mean();
        est.roles[static_cast<std::size_t>(r)].offered_h_per_week +=
            est.stage_rate_per_h[i] * kernel::hours_per_week * effort / rc.availability;
    }
    for (std::size_t r = 0; r < cfg.roles.size(); ++r) {
        const auto& rc = cfg.roles[r];
        auto& rl = est.roles[r];
        const kernel::WorkingCalendar cal(rc.calendar ? *rc.calendar : cfg.simulation.calendar);
        rl.capacity_h_per_week = rc.headcount * cal.hours_per_week();
        if (rl.capacity_h_per_week > 0.0) {
            rl.load = rl.offered_h_per_week / rl.capacity_h_per_week;
        } else {
            rl.load = rl.offered_h_per_week > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
        }
        if (!(rl.load < 1.0)) {
            est.stable = false;
            std::ostringstream msg;
            msg.precision(3);
            msg << "role '" << rc.name << "' is offered " << rl.offered_h_per_week << " h/week against a capacity of "
                << rl.capacity_h_per_week << " h/week (load " << rl.load
                << "): its queue will grow without bound over the horizon";
            est.warnings.push_back(msg.str());
        } else if (rl.load >= 0.85) {
            std::ostringstream msg;
            msg.precision(3);
            msg << "role '" << rc.name << "' is near capacity (load " << rl.load
                << "): waits grow steeply above about 0.85 (Kingman)";
            est.warnings.push_back(msg.str());
        }
        // A personal WIP limit binds only on deals its people own.
        if (rc.wip_limit > 0) {
            bool owns = false;
            if (cfg.ownership.enabled)
                for (std::size_t s = static_cast<std::size_t>(cfg.ownership.from_stage); s < cfg.stages.size(); ++s)
                    for (int sr : cfg.stages[s].roles) owns = owns || sr == static_cast<int>(r);
            if (!owns)
                est.warnings.push_back("role '" + rc.name + "' has a personal wip_limit of " + std::to_string(rc.wip_limit) +
                                       " that cannot bind: " +
                                       (cfg.ownership.enabled ? "it works no stage from the ownership stage on"
                                                              : "there is no ownership, so nobody owns deals"));
        }
    }
    // A stage whose roles have no people: leads that reach it wait for ever.
    for (const auto& st : cfg.stages) {
        int people = 0;
        for (int sr : st.roles) people += cfg.roles[static_cast<std::size_t>(sr)].headcount;
        if (people == 0)
            est.warnings.push_back("stage '" + st.name + "' has no one to work it: its roles have headcount 0");
    }
    // A source that brings no lead within the horizon.
    for (const auto& sc : cfg.sources)
        if (sc.kind != SourceKind::prospecting && mean_arrival_rate(sc, horizon) <= 0.0)
            est.warnings.push_back("source '" + sc.name + "' brings no lead within the horizon");
    if (prospecting)
        est.warnings.push_back("leads from prospecting depend on people's free time and are not in this estimate");
    for (const auto& rc : cfg.roles)
        if (rc.staffing_changes() || rc.learning.max_gain > 0.0 || rc.ramp.time_h > 0.0 || !rc.skill.empty())
            est.warnings.push_back("role '" + rc.name +
                                   "' changes over time or by skill (hires, attrition, ramp-up, learning, skill): this "
                                   "estimate uses its headcount and efficiency as written");
    return est;
}

}  // namespace salesflow::model
