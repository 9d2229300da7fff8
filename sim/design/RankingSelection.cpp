#include "design/RankingSelection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <boost/math/distributions/students_t.hpp>

namespace salesflow::design {

void check_options(const RankingOptions& o, std::size_t systems) {
    auto bad = [](const std::string& what) { throw std::invalid_argument("ranking and selection: " + what); };
    if (systems < 1) bad("needs at least one system");
    if (!(o.delta > 0.0) || !std::isfinite(o.delta)) bad("the indifference zone delta must be a finite number > 0");
    if (!(o.alpha > 0.0 && o.alpha < 1.0)) bad("alpha must be in (0, 1)");
    if (!(o.screening_share > 0.0 && o.screening_share < 1.0)) bad("screening_share must be in (0, 1)");
    if (o.first_stage < 2) bad("the first stage needs at least 2 replications per system");
    if (o.max_replications < o.first_stage) bad("max_replications must be at least the first stage's replications");
    if (o.step < 1) bad("step must be at least 1");
}

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::screened_out: return "screened_out";
        case Outcome::eliminated: return "eliminated";
        case Outcome::chosen: return "chosen";
        case Outcome::tied: return "tied";
    }
    return "?";
}

RankingSelection::RankingSelection(std::size_t systems, RankingOptions options)
    : k_(systems), options_(options) {
    check_options(options_, k_);
    sign_ = options_.direction == Direction::minimise ? -1.0 : 1.0;
    alive_.resize(k_);
    for (std::size_t i = 0; i < k_; ++i) alive_[i] = i;
    sum_.assign(k_, 0.0);
    keep_.assign(k_, 1);
    s2_index_.assign(k_, 0);
    res_.replications.assign(k_, 0);
    res_.means.assign(k_, std::numeric_limits<double>::quiet_NaN());
    res_.eliminated_at.assign(k_, 0);
    res_.outcome.assign(k_, Outcome::eliminated);
    res_.alpha1 = options_.screening_share * options_.alpha;
    res_.alpha2 = options_.alpha - res_.alpha1;
    if (k_ > 1) {
        const double kk = static_cast<double>(k_ - 1);
        const double dof = static_cast<double>(options_.first_stage - 1);
        res_.screening_t = boost::math::quantile(boost::math::students_t_distribution<double>(dof), 1.0 - res_.alpha1 / kk);
        res_.eta = 0.5 * (std::pow(2.0 * res_.alpha2 / kk, -2.0 / dof) - 1.0);
        res_.h2 = 2.0 * res_.eta * dof;
    }
}

Round RankingSelection::round() const {
    if (done_) return {};
    if (r_ == 0) return {alive_, 0, options_.first_stage};
    return {alive_, r_, std::min(options_.step, options_.max_replications - r_)};
}

void RankingSelection::record(std::span<const double> values) {
    if (done_) throw std::logic_error("ranking and selection: record() after the procedure ended");
    const Round rd = round();
    const std::size_t m = rd.systems.size();
    const auto count = static_cast<std::size_t>(rd.count);
    if (values.size() != m * count)
        throw std::invalid_argument("ranking and selection: expected " + std::to_string(m * count) + " samples, got " +
                                    std::to_string(values.size()));
    for (double v : values)
        if (!std::isfinite(v)) throw std::invalid_argument("ranking and selection: a sample is not a finite number");

    if (r_ == 0) {
        const auto n0 = static_cast<std::size_t>(options_.first_stage);
        first_.assign(k_ * n0, 0.0);
        for (std::size_t t = 0; t < n0; ++t)
            for (std::size_t j = 0; j < m; ++j) {
                const double x = sign_ * values[t * m + j];
                first_[j * n0 + t] = x;
                sum_[j] += x;
            }
        r_ = options_.first_stage;
        screen();
    } else {
        for (std::size_t t = 0; t < count; ++t)
            for (std::size_t j = 0; j < m; ++j) sum_[alive_[j]] += sign_ * values[t * m + j];
        r_ += rd.count;
    }
    eliminate();
}

double RankingSelection::pair_variance(std::size_t i, std::size_t l) const {
    const auto n0 = static_cast<std::size_t>(options_.first_stage);
    const double* xi = first_.data() + i * n0;
    const double* xl = first_.data() + l * n0;
    double mean = 0.0;
    for (std::size_t t = 0; t < n0; ++t) mean += xi[t] - xl[t];
    mean /= static_cast<double>(n0);
    double ss = 0.0;
    for (std::size_t t = 0; t < n0; ++t) {
        const double d = xi[t] - xl[t] - mean;
        ss += d * d;
    }
    return ss / static_cast<double>(n0 - 1);
}

void RankingSelection::screen() {
    // Stage 1 (Nelson, Swann, Goldsman and Song 2001) over all k systems.
    const double n0 = static_cast<double>(options_.first_stage);
    const double delta = options_.delta;
    std::vector<std::size_t> survivors;
    survivors.reserve(k_);
    for (std::size_t i = 0; i < k_; ++i) {
        const double mi = sum_[i] / n0;
        bool keep = true;
        for (std::size_t j = 0; j < k_ && keep; ++j) {
            if (j == i) continue;
            const double w = res_.screening_t * std::sqrt(pair_variance(i, j) / n0);
            if (mi < sum_[j] / n0 - std::max(0.0, w - delta)) keep = false;
        }
        if (keep) survivors.push_back(i);
        else {
            res_.outcome[i] = Outcome::screened_out;
            res_.eliminated_at[i] = options_.first_stage;
            res_.replications[i] = options_.first_stage;
            res_.means[i] = sign_ * sum_[i] / n0;
        }
    }
    alive_ = std::move(survivors);
    res_.survivors_of_screening = alive_.size();
    // The paired variances the fully sequential stage needs.
    const std::size_t m = alive_.size();
    s2_dim_ = m;
    s2_.assign(m * m, 0.0);
    for (std::size_t a = 0; a < m; ++a) {
        s2_index_[alive_[a]] = a;
        for (std::size_t b = a + 1; b < m; ++b) s2_[a * m + b] = s2_[b * m + a] = pair_variance(alive_[a], alive_[b]);
    }
}

void RankingSelection::eliminate() {
    // Stage 2 (Kim and Nelson 2001, KN): one look after r replications of every survivor,
    // all comparisons against the survivors before the look.
    const double r = static_cast<double>(r_);
    const double delta = options_.delta;
    const std::size_t m = s2_dim_;
    bool open = false;  // a continuation region still open for some surviving pair
    for (std::size_t i : alive_) {
        keep_[i] = 1;
        const double mi = sum_[i] / r;
        for (std::size_t l : alive_) {
            if (l == i) continue;
            const double s2 = s2_[s2_index_[i] * m + s2_index_[l]];
            const double w = std::max(0.0, delta / (2.0 * r) * (res_.h2 * s2 / (delta * delta) - r));
            if (mi < sum_[l] / r - w) {
                keep_[i] = 0;
                break;
            }
        }
    }
    std::size_t out = 0;
    for (std::size_t i : alive_) {
        if (keep_[i]) {
            alive_[out++] = i;
            continue;
        }
        res_.outcome[i] = Outcome::eliminated;
        res_.eliminated_at[i] = r_;
        res_.replications[i] = r_;
        res_.means[i] = sign_ * sum_[i] / r;
    }
    alive_.resize(out);
    for (std::size_t a = 0; a < alive_.size() && !open; ++a)
        for (std::size_t b = a + 1; b < alive_.size() && !open; ++b)
            if (res_.h2 * s2_[s2_index_[alive_[a]] * m + s2_index_[alive_[b]]] / (delta * delta) > r) open = true;

    if (alive_.size() == 1 || !open) finish(false);
    else if (r_ >= options_.max_replications) finish(true);
}

void RankingSelection::finish(bool capped) {
    done_ = true;
    res_.capped = capped;
    const double r = static_cast<double>(r_);
    std::size_t best = alive_.front();
    for (std::size_t i : alive_)
        if (sum_[i] > sum_[best]) best = i;  // alive_ is ascending: ties go to the lowest index
    res_.chosen = best;
    res_.tied.clear();
    for (std::size_t i : alive_) {
        res_.replications[i] = r_;
        res_.means[i] = sign_ * sum_[i] / r;
        // Without the cap, survivors besides the best are exact ties (closed region, equal means).
        if (i == best || capped || sum_[i] == sum_[best]) {
            res_.tied.push_back(i);
            res_.outcome[i] = i == best ? Outcome::chosen : Outcome::tied;
        }
    }
    res_.total_replications = 0;
    for (int n : res_.replications) res_.total_replications += n;
}

RankingResult RankingSelection::result() const {
    if (!done_) throw std::logic_error("ranking and selection: result() before the procedure ended");
    return res_;
}

RankingResult select_best(std::size_t systems, const RankingOptions& options, const SampleRound& sample) {
    RankingSelection rs(systems, options);
    std::vector<double> values;
    std::vector<std::size_t> ids;
    while (!rs.done()) {
        const Round rd = rs.round();
        ids.assign(rd.systems.begin(), rd.systems.end());
        const std::size_t m = ids.size();
        values.assign(m * static_cast<std::size_t>(rd.count), 0.0);
        for (int t = 0; t < rd.count; ++t)
            sample(ids, rd.first_replication + t, std::span<double>(values.data() + static_cast<std::size_t>(t) * m, m));
        rs.record(values);
    }
    return rs.result();
}

}  // namespace salesflow::design
