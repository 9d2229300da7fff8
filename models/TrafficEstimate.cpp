#include "models/TrafficEstimate.hpp"
#include "kernel/Time.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include <Eigen/Dense>
#include <boost/random/normal_distribution.hpp>

#include "kernel/Distribution.hpp"
#include "kernel/RandomStreams.hpp"
#include "kernel/WorkingCalendar.hpp"

namespace salesflow::model {

namespace {

double mean_arrival_rate(const SourceConfig& s, double horizon) {
    double rate = 0.0;
    if (s.kind == SourceKind::poisson) {
        double mult = 1.0;
        if (!s.seasonality.empty()) {
            mult = 0.0;
            for (double m : s.seasonality) mult += m;
            mult /= static_cast<double>(s.seasonality.size());
        }
        rate += s.rate_per_h * mult;
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

}  // namespace

TrafficEstimate estimate_traffic(const ScenarioConfig& cfg, int quality_samples) {
    TrafficEstimate est;
    const auto n = static_cast<Eigen::Index>(cfg.stages.size());
    const double horizon = cfg.simulation.horizon_h;

    // A weighted sample of arriving leads' qualities (weights = arrival rates), used to
    // estimate pass rates along the process: gates keep leads estimated above the
    // threshold, `advance: quality` keeps each lead with probability = its quality.
    // Prospecting sources are left out (their rate depends on people's free time), unless
    // there is nothing else, in which case their quality still shapes the pass rates.
    std::vector<double> q, w;
    bool prospecting = false;
    double external = 0.0;
    for (const auto& s : cfg.sources) external += mean_arrival_rate(s, horizon);
    for (const auto& s : cfg.sources) {
        if (s.kind == SourceKind::prospecting) prospecting = true;
        const double rate = mean_arrival_rate(s, horizon);
        est.arrivals_per_h += rate;
        const bool use = rate > 0.0 || (s.kind == SourceKind::prospecting && external <= 0.0);
        if (!use) continue;
        kernel::Distribution dq(s.quality);
        auto eng = kernel::make_engine(cfg.simulation.seed, 0, "estimate/quality/" + s.name);
        const double weight = rate > 0.0 ? rate : 1.0;
        for (int k = 0; k < quality_samples; ++k) {
            q.push_back(std::clamp(dq.sample(eng), 0.0, 1.0));
            w.push_back(weight);
        }
    }
    auto noise_eng = kernel::make_engine(cfg.simulation.seed, 0, "estimate/gate");

    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto& st = cfg.stages[static_cast<std::size_t>(i)];
        double pass = 1.0;
        if (st.gate.enabled && !q.empty()) {
            double kept = 0.0, total = 0.0;
            boost::random::normal_distribution<double> noise(0.0, std::max(st.gate.noise_sd, 0.0));
            for (std::size_t k = 0; k < q.size(); ++k) {
                const double e = q[k] + (st.gate.noise_sd > 0.0 ? noise(noise_eng) : 0.0);
                total += w[k];
                if (e < st.gate.threshold) w[k] = 0.0;
                kept += w[k];
            }
            pass = total > 0.0 ? kept / total : 0.0;
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
        }
    }
    if (prospecting)
        est.warnings.push_back("leads from prospecting depend on people's free time and are not in this estimate");
    return est;
}

}  // namespace salesflow::model
