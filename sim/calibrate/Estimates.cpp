#include "calibrate/Estimates.hpp"
#include "kernel/Time.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "calibrate/FieldParse.hpp"
#include "input/InputError.hpp"

namespace salesflow::calibrate {

Interval clopper_pearson(std::int64_t k, std::int64_t n) {
    Interval r;
    r.n = n;
    if (n <= 0) return r;
    const double kd = static_cast<double>(k), nd = static_cast<double>(n);
    r.est = kd / nd;
    r.low = k == 0 ? 0.0 : boost::math::ibeta_inv(kd, nd - kd + 1, 0.025);
    r.high = k == n ? 1.0 : boost::math::ibeta_inv(kd + 1, nd - kd, 0.975);
    return r;
}

Interval poisson_rate(std::int64_t count, double exposure) {
    Interval r;
    r.n = count;
    if (exposure <= 0) return r;
    const double c = static_cast<double>(count);
    r.est = c / exposure;
    r.low = count == 0 ? 0.0 : boost::math::gamma_p_inv(c, 0.025) / exposure;
    r.high = boost::math::gamma_p_inv(c + 1, 0.975) / exposure;
    return r;
}

double sample_quantile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

namespace {

void seasonality(const SourceData& s, long long first_month, long long last_month, SourceEstimate& out) {
    // Full months only: the export's first and last months are partial.
    std::array<double, 12> count{}, exposure{};
    std::vector<double> monthly;
    for (long long mo = first_month + 1; mo < last_month; ++mo) {
        const auto it = s.by_month.find(mo);
        const double c = it == s.by_month.end() ? 0.0 : static_cast<double>(it->second);
        count[static_cast<std::size_t>(mo % 12)] += c;
        exposure[static_cast<std::size_t>(mo % 12)] += 1;
        monthly.push_back(c);
    }
    out.full_months = static_cast<int>(monthly.size());
    if (monthly.size() >= 2) {
        double m = 0, v = 0;
        for (double c : monthly) m += c;
        m /= static_cast<double>(monthly.size());
        for (double c : monthly) v += (c - m) * (c - m);
        v /= static_cast<double>(monthly.size() - 1);
        out.dispersion = m > 0 ? v / m : 1.0;
    }
    if (monthly.size() < 24) return;
    double n = 0, e = 0;
    for (int c = 0; c < 12; ++c) { n += count[c]; e += exposure[c]; }
    if (n <= 0) return;
    double g = 0;
    for (int c = 0; c < 12; ++c) {
        const double expected = n * exposure[c] / e;
        if (count[c] > 0) g += 2 * count[c] * std::log(count[c] / expected);
    }
    out.season_p = 1.0 - boost::math::cdf(boost::math::chi_squared_distribution<double>(11), std::max(0.0, g));
    if (out.season_p >= 0.05) return;
    const int start = static_cast<int>(first_month % 12);   // calendar month of the export start (0-based)
    std::vector<double> f(12);
    for (int i = 0; i < 12; ++i) {
        const int c = (start + i) % 12;
        f[static_cast<std::size_t>(i)] = (count[c] / exposure[c]) / (n / e);
    }
    if (std::all_of(f.begin(), f.end(), [](double x) { return x <= 0; })) return;
    out.seasonality = f;
}

}  // namespace

Calibration estimate(const ExportData& data, const Minimums& min) {
    Calibration cal;
    cal.data = &data;
    cal.notes = data.notes;
    auto unusable = [&](const std::string& why) {
        input::Diagnostic d;
        d.file = data.file;
        d.message = why;
        throw input::InputError({d});
    };
    if (data.deals < min.deals)
        unusable("too few deals to calibrate anything: " + std::to_string(data.deals) + " (at least " + std::to_string(min.deals) + " needed)");
    cal.window_h = data.as_of_h - data.first_h;
    if (!(cal.window_h >= 24.0)) unusable("the export spans less than one day (first creation to the last timestamp): no rate can be estimated");
    const long long first_month = month_index(data.first_h), last_month = month_index(data.as_of_h);
    cal.start_month = static_cast<int>(first_month % 12) + 1;
    const double weeks = cal.window_h / kernel::hours_per_week;

    // Stages.
    double reach = 1.0;   // chance to reach the last stage: the product of conversions before it
    for (std::size_t i = 0; i < data.stages.size(); ++i) {
        const auto& s = data.stages[i];
        StageEstimate st;
        st.name = s.name;
        const std::int64_t decided = s.passed + s.lost + s.no_decision;
        st.conversion = clopper_pearson(s.passed, decided);
        st.open = s.open;
        st.skipped = s.skipped;
        if (decided > 0) {
            st.lost_share = static_cast<double>(s.lost) / static_cast<double>(decided);
            st.no_decision_share = static_cast<double>(s.no_decision) / static_cast<double>(decided);
        }
        if (decided < min.conversion) {
            st.conversion.defaulted = true;
            st.conversion.est = decided > 0 ? st.conversion.est : 0.5;
            cal.notes.push_back("stages." + s.name + ".advance: too few deals decided at this stage to estimate the conversion (n = " +
                                std::to_string(decided) + " < " + std::to_string(min.conversion) + "): " +
                                (decided > 0 ? "the raw share" : "the default 0.5") + " is kept, marked as an assumption");
        }
        if (i + 1 < data.stages.size()) reach *= st.conversion.est;
        st.time = fit_durations(s.times.items());
        if (s.complete < min.durations || !st.time.best()) {
            st.time_defaulted = true;
            st.time_mean = Interval{kernel::hours_per_week, 24.0, 720.0, s.complete, true};
            cal.notes.push_back("stages." + s.name + ": too few complete visits to fit the time in stage (n = " + std::to_string(s.complete) +
                                " < " + std::to_string(min.durations) + "): the default 1 week (lognormal, sd 1 week) is kept, marked as an assumption");
        } else {
            // Empirical: the mean of its 50 Kaplan-Meier quantiles, with the parametric interval's
            // relative width around it.
            const double pm = st.time.best()->mean, em = st.time.mean();
            st.time_mean = Interval{em, st.time.best()->mean_low * em / pm, st.time.best()->mean_high * em / pm, st.time.n, false};
        }
        cal.stages.push_back(std::move(st));
    }

    // Sources.
    std::int64_t won = 0, closed = 0, nodec = 0;
    std::vector<double> pooled_values;
    for (const auto& s : data.sources) for (double v : s.won_values.items()) pooled_values.push_back(v);
    for (const auto& s : data.sources) {
        SourceEstimate e;
        e.name = s.name;
        e.rate_per_week = poisson_rate(s.deals, weeks);
        seasonality(s, first_month, last_month, e);
        e.closed = s.won + s.lost + s.no_decision;
        e.no_decision = s.no_decision;
        e.win_rate = clopper_pearson(s.won, e.closed);
        won += s.won;
        closed += e.closed;
        nodec += s.no_decision;
        const auto& vals = s.won_values.items().size() >= static_cast<std::size_t>(min.values) ? s.won_values.items() : pooled_values;
        if (vals.size() >= static_cast<std::size_t>(min.values)) {
            double m = 0, v = 0;
            for (double x : vals) m += x;
            m /= static_cast<double>(vals.size());
            for (double x : vals) v += (x - m) * (x - m);
            v /= static_cast<double>(vals.size() - 1);
            const double t = boost::math::quantile(boost::math::students_t_distribution<double>(static_cast<double>(vals.size() - 1)), 0.975);
            const double se = std::sqrt(v / static_cast<double>(vals.size()));
            e.value_mean = Interval{m, m - t * se, m + t * se, static_cast<std::int64_t>(vals.size()), false};
            e.value_sd = std::sqrt(v);
            if (&vals == &pooled_values)
                cal.notes.push_back("sources." + s.name + ".value: fewer than " + std::to_string(min.values) +
                                    " won deals with an amount: the value of all sources pooled is used");
        } else {
            e.value_mean = Interval{1.0, 1.0, 1.0, static_cast<std::int64_t>(vals.size()), true};
            cal.notes.push_back("sources." + s.name + ".value: too few won deals with an amount (n = " + std::to_string(vals.size()) +
                                " < " + std::to_string(min.values) + "): the default 1 is kept, marked as an assumption");
        }
        const double q = e.closed > 0 && reach > 0 ? e.win_rate.est / reach : cal.stages.empty() ? 0.5 : cal.stages.back().conversion.est;
        e.quality_mean = std::clamp(q, 0.005, 0.995);
        cal.sources.push_back(std::move(e));
    }
    cal.won = won;
    cal.win_rate = clopper_pearson(won, closed);
    cal.no_decision_share = clopper_pearson(nodec, closed);
    cal.won_p50_h = sample_quantile(data.won_cycle_h.items(), 0.5);
    cal.won_p85_h = sample_quantile(data.won_cycle_h.items(), 0.85);
    {
        const auto& w = data.won_cycle_h.items();
        double m = 0, v = 0;
        for (double x : w) m += x;
        if (!w.empty()) m /= static_cast<double>(w.size());
        for (double x : w) v += (x - m) * (x - m);
        cal.won_mean_h = m;
        cal.won_sd_h = w.size() > 1 ? std::sqrt(v / static_cast<double>(w.size() - 1)) : 0.0;
    }

    // Headcount: distinct owners per full month, the last 12 full months.
    std::vector<double> per_month;
    for (long long mo = std::max(first_month + 1, last_month - 12); mo < last_month; ++mo) {
        const auto b = data.owner_months.lower_bound({mo, -1});
        const auto e = data.owner_months.lower_bound({mo + 1, -1});
        per_month.push_back(static_cast<double>(std::distance(b, e)));
    }
    if (!data.owners.empty() && !per_month.empty()) {
        cal.headcount.est = std::round(sample_quantile(per_month, 0.5));
        cal.headcount.low = *std::min_element(per_month.begin(), per_month.end());
        cal.headcount.high = *std::max_element(per_month.begin(), per_month.end());
        cal.headcount.n = static_cast<std::int64_t>(per_month.size());
        if (cal.headcount.est < 1) cal.headcount.est = 1;
    } else {
        cal.headcount.defaulted = true;
        cal.notes.push_back(data.owners.empty() ? "roles: the export names no deal owners: the headcount is a default, marked as an assumption"
                                                : "roles: the export has no full month: the headcount is the number of owners, marked as an assumption");
        cal.headcount.est = data.owners.empty() ? 0.0 : static_cast<double>(data.owners.size());
    }
    return cal;
}

}  // namespace salesflow::calibrate
