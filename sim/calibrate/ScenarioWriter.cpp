#include "calibrate/ScenarioWriter.hpp"
#include "kernel/Time.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace salesflow::calibrate {

std::string num(double v, int digits) {
    if (!std::isfinite(v)) return "0";
    if (v == 0) return "0";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    std::string s = buf;
    if (s.find('e') != std::string::npos) {
        std::snprintf(buf, sizeof buf, "%.6f", v);
        s = buf;
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
}

double mean_calendar_wait_h(double hours_per_day, int days_per_week, double day_start) {
    // Integrate over the week hour by hour (fine enough: 1/60 h steps).
    auto working = [&](double t) {
        const int day = static_cast<int>(std::floor(t / 24.0)) % 7;
        const double h = std::fmod(t, 24.0);
        return day < days_per_week && h >= day_start && h < day_start + hours_per_day;
    };
    const double step = 1.0 / 60.0;
    const int n = static_cast<int>(kernel::hours_per_week / step);
    double total = 0;
    for (int i = 0; i < n; ++i) {
        double t = i * step, w = 0;
        while (!working(t) && w < kernel::hours_per_week) { t += step; w += step; }
        total += w;
    }
    return total / n;
}

namespace {

// 8 h x 5 d from 9:00, Monday 00:00 at time 0 (the scenario's default calendar).
bool working(double t) {
    const double w = std::fmod(t, kernel::hours_per_week);
    const int day = static_cast<int>(w / 24.0);
    const double h = w - day * 24.0;
    return day < 5 && h >= 9.0 && h < 17.0;
}

// Calendar time from t to the end of `work` working hours (waiting first for working time).
double calendar_span(double t, double work) {
    double now = t, left = work;
    for (int guard = 0; guard < 100000 && left > 1e-12; ++guard) {
        const double w = std::fmod(now, kernel::hours_per_week);
        const int day = static_cast<int>(w / 24.0);
        const double h = w - day * 24.0;
        const double day0 = now - h;
        if (day < 5 && h >= 9.0 && h < 17.0) {
            const double take = std::min(left, 17.0 - h);
            now += take;
            left -= take;
        } else if (day < 5 && h < 9.0) {
            now = day0 + 9.0;
        } else {
            now = day0 + 24.0 + 9.0;
            if (day >= 4) now = day0 + (7 - day) * 24.0 + 9.0;
        }
    }
    return now - t;
}

// Mean calendar span of `work` working hours from a uniform random moment of the week
// (`from_working`: of the working time only).
double mean_span(double work, bool from_working) {
    double total = 0;
    int n = 0;
    for (int i = 0; i < static_cast<int>(kernel::hours_per_week) * 6; ++i) {
        const double t = i / 6.0 + 1.0 / 12.0;
        if (from_working && !working(t)) continue;
        total += calendar_span(t, work);
        ++n;
    }
    return total / n;
}

std::string interval_text(const Interval& i, int digits = 3, const std::string& unit = "") {
    return num(i.est, digits) + unit + " [" + num(i.low, digits) + unit + ", " + num(i.high, digits) + unit + "], n = " + std::to_string(i.n);
}

std::string days(double h) { return num(h / 24.0, 3) + " d"; }

}  // namespace

WrittenScenario write_scenario(const Calibration& cal, const WriterOptions& opt) {
    WrittenScenario out;
    const ExportData& data = *cal.data;
    const std::size_t ns = cal.stages.size();
    const double a = opt.availability;
    const double stretch = kernel::hours_per_week / 40.0;   // calendar hours per working hour (8 h x 5 d)
    const double wcal = mean_calendar_wait_h(8, 5, 9);
    out.calendar_wait_h = wcal;

    // Visits per week to each stage (no rework in the calibrated scenario).
    double lambda = 0;
    for (const auto& s : cal.sources) lambda += s.rate_per_week.est;
    std::vector<double> visits(ns);
    double reach = 1;
    for (std::size_t i = 0; i < ns; ++i) {
        visits[i] = lambda * reach;
        reach *= cal.stages[i].conversion.est;
    }
    std::vector<double> m(ns), cv(ns);
    for (std::size_t i = 0; i < ns; ++i) {
        m[i] = std::max(cal.stages[i].time_mean.est, 0.1);
        const auto& t = cal.stages[i].time;
        cv[i] = (!cal.stages[i].time_defaulted && t.best() && t.best()->mean > 0) ? t.best()->sd / t.best()->mean : 1.0;
        cv[i] = std::clamp(cv[i], 0.1, 3.0);
    }
    double headcount = cal.headcount.est;

    // The mapping, lowering the effort share until the role's offered load is at most max_load.
    double phi = opt.effort_share;
    std::vector<int> gaps(ns);
    std::vector<double> effort(ns);
    double u = 0, load = 0;
    for (int attempt = 0; attempt < 30; ++attempt) {
        // Touch gap u = buyer response + calendar wait: from the shortest buyer part that has room for one gap.
        double bmin = 0;
        for (std::size_t i = 0; i < ns; ++i) {
            const double b = (1 - phi) * m[i];
            if (b > 1.1 * wcal && (bmin == 0 || b < bmin)) bmin = b;
        }
        u = 0;
        if (bmin > 0) {
            for (int j = 1; j <= 5; ++j) {
                const double cand = bmin / j;
                if (cand < 1.1 * wcal) break;
                double worst = 0;
                for (std::size_t i = 0; i < ns; ++i) {
                    const double b = (1 - phi) * m[i];
                    if (b <= 1.1 * wcal) continue;
                    const double k = std::max(1.0, std::round(b / cand));
                    worst = std::max(worst, std::fabs(k * cand - b) / b);
                }
                u = cand;
                if (worst <= 0.1) break;
            }
        }
        for (std::size_t i = 0; i < ns; ++i) {
            const double b = (1 - phi) * m[i];
            gaps[i] = (u > 0 && b > 1.1 * wcal) ? static_cast<int>(std::min(999.0, std::max(1.0, std::round(b / u)))) : 0;
            // Our part absorbs the rounding of the gaps, within [0.2, 3] x its planned share.
            const double team = std::clamp(m[i] - gaps[i] * u, 0.2 * phi * m[i], 3.0 * std::max(phi, gaps[i] ? phi : 1.0) * m[i]);
            effort[i] = std::max(1.0 / 60.0, team * a / stretch);
        }
        // Refine our work so that the expected elapsed time of the visit matches: first session
        // from working time (or from a random moment on the first stage: leads arrive any time),
        // then per buyer gap the response plus the span of the next session from a random moment.
        const double r_now = std::max(0.05 * u, u - wcal);
        for (std::size_t i = 0; i < ns; ++i) {
            const int k = gaps[i] + 1;
            auto elapsed = [&](double e) {
                const double w = e / (k * a);
                return mean_span(w, i != 0) + gaps[i] * (r_now + mean_span(w, false));
            };
            double lo = std::max(1.0 / 60.0, 0.1 * effort[i]), hi = 10.0 * effort[i];
            if (elapsed(lo) >= m[i]) {
                effort[i] = lo;
            } else if (elapsed(hi) <= m[i]) {
                effort[i] = hi;
            } else {
                for (int it = 0; it < 40; ++it) {
                    const double mid = 0.5 * (lo + hi);
                    (elapsed(mid) < m[i] ? lo : hi) = mid;
                }
                effort[i] = 0.5 * (lo + hi);
            }
        }
        double work = 0;
        for (std::size_t i = 0; i < ns; ++i) work += visits[i] * effort[i];
        if (cal.headcount.defaulted) headcount = std::max(1.0, std::ceil(work / (0.5 * a * 40.0)));
        load = work / (std::max(headcount, 1.0) * a * 40.0);
        if (load <= opt.max_load || phi < 0.005) break;
        phi *= opt.max_load / load * 0.98;
    }
    const double r = std::max(0.05 * u, u - wcal);
    out.effort_share = phi;
    out.load = load;
    out.response_mean_h = r;
    // Shape of the buyer's response: the CV that gives the best-observed stage its spread
    // (the sum of n gaps has CV c / sqrt(n)); its family is that stage's fitted family.
    std::size_t ref = 0;
    for (std::size_t i = 0; i < ns; ++i)
        if ((gaps[i] > 0 && gaps[ref] == 0) || ((gaps[i] > 0) == (gaps[ref] > 0) && data.stages[i].complete > data.stages[ref].complete)) ref = i;
    double c_r = 1.0;
    std::string r_family = "lognormal";
    if (ns > 0 && gaps[ref] > 0) {
        // The spread of the won deals' cycle time comes from the buyer gaps: c such that
        // (sum of the gaps a won deal meets) x (c r)^2 = the observed variance of that cycle
        // (a slow buyer is slow in every stage); without won deals, the best-observed stage's spread.
        int won_gaps = 0;
        for (int g : gaps) won_gaps += g;
        if (cal.won >= 10 && won_gaps > 0 && cal.won_sd_h > 0)
            c_r = std::clamp(cal.won_sd_h / (r * std::sqrt(static_cast<double>(won_gaps))), 0.2, 5.0);
        else
            c_r = std::clamp(cv[ref] * m[ref] / (r * std::sqrt(static_cast<double>(gaps[ref]))), 0.2, 5.0);
        if (!cal.stages[ref].time_defaulted && cal.stages[ref].time.best()) r_family = cal.stages[ref].time.best()->family;
    }
    for (int g : gaps) out.touches.push_back(g + 1);

    std::ostringstream y;
    y << "# Calibrated by salesflow from the CRM export " << data.file << " (" << data.shape << ", " << data.rows << " rows, "
      << data.deals << " deals,\n# " << days(cal.window_h) << " from the first deal's creation to the export date).\n";
    if (!opt.command_line.empty()) y << "# Command: " << opt.command_line << "\n";
    y << "# Beside every estimated key: estimate [95% interval], n = sample size. Keys the export cannot\n"
         "# tell are listed as assumptions with ranges at the end (docs/calibrate.md).\n";
    y << "name: " << opt.name << "\n";
    y << "description: Calibrated from " << '"' << data.file << '"' << "; see the comments and the assumptions block.\n";
    y << "simulation:\n";
    y << "  horizon: " << num(cal.window_h, 6) << "h   # the export's window: " << days(cal.window_h) << "\n";
    y << "  warmup: 0\n";
    y << "  replications: " << opt.replications << "\n";
    y << "  seed: " << opt.seed << "\n";
    y << "  calendar: {hours_per_day: 8, days_per_week: 5, day_start: 9}   # assumption: the export records no working hours\n";
    y << "sources:\n";
    const std::string last = ns ? cal.stages.back().name : "";
    for (const auto& s : cal.sources) {
        y << "  - name: " << s.name << "\n";
        y << "    arrivals: " << num(s.rate_per_week.est, 5) << "/w   # deals created per week: "
          << interval_text(s.rate_per_week, 4) << " deals over " << num(cal.window_h / kernel::hours_per_week, 4) << " weeks; dispersion of monthly counts "
          << num(s.dispersion, 3) << "\n";
        if (!s.seasonality.empty()) {
            y << "    seasonality: [";
            for (std::size_t i = 0; i < 12; ++i) y << (i ? ", " : "") << num(s.seasonality[i], 3);
            y << "]   # month 1 = calendar month " << cal.start_month << " (the export's start); " << s.full_months
              << " full months, equal-rate test p = " << num(s.season_p, 2) << "\n";
        } else {
            y << "    # no seasonality: " << s.full_months << " full months"
              << (s.full_months >= 24 ? ", equal monthly rates not rejected (p = " + num(s.season_p, 2) + ")" : " (< 24: not tested)") << "\n";
        }
        const double q = s.quality_mean;
        y << "    quality: {beta: {a: " << num(q * 10, 4) << ", b: " << num((1 - q) * 10, 4) << "}}   # mean " << num(q, 3)
          << " = the chance to win at '" << last << "' = win rate " << interval_text(s.win_rate) << " / reach of '" << last
          << "'; no decision " << s.no_decision << " of " << s.closed << " closed, counted as lost\n";
        if (s.value_mean.defaulted) {
            y << "    value: 1   # default: too few won deals with an amount (n = " << s.value_mean.n << "), an assumption\n";
        } else {
            y << "    value: {lognormal: {mean: " << num(s.value_mean.est, 5) << ", sd: " << num(std::max(s.value_sd, 0.0), 5) << "}}   # won deals' amount"
              << (data.currency.empty() ? "" : " (currency '" + data.currency + "')") << ": mean " << interval_text(s.value_mean, 5) << "\n";
        }
        if (r > 0 && u > 0) {
            y << "    response_time: {" << r_family << ": {mean: " << num(r, 4) << "h, sd: " << num(r * c_r, 4) << "h}}   # buyer time per touch gap"
              << " (derived, see the assumptions: effort share " << num(phi, 3) << ")\n";
        }
    }
    y << "stages:\n";
    for (std::size_t i = 0; i < ns; ++i) {
        const auto& st = cal.stages[i];
        y << "  - name: " << st.name << "\n";
        y << "    role: " << opt.role << "\n";
        y << "    # elapsed time in stage: ";
        if (st.time_defaulted) {
            y << "too few complete visits (n = " << data.stages[i].complete << "): default 1 week, an assumption\n";
        } else {
            y << st.time.family() << ", mean " << interval_text(st.time_mean, 4, "h") << " (" << st.time.n_censored
              << " censored); lognormal AIC " << num(st.time.lognormal.aic, 6) << ", gamma AIC " << num(st.time.gamma.aic, 6)
              << "; naive mean of complete visits " << num(st.time.naive_mean, 4) << "h\n";
        }
        const double e = effort[i];
        y << "    effort: {gamma: {mean: " << num(e, 4) << "h, sd: " << num(e * cv[i], 4) << "h}}   # our work: share "
          << num(phi, 3) << " of " << num(m[i], 4) << "h elapsed, at availability " << num(a, 3) << " on 8 h x 5 d (an assumption)\n";
        y << "    touches: " << gaps[i] + 1 << "   # " << gaps[i] << " buyer gap(s) of " << num(u, 4) << "h (response "
          << num(r, 4) << "h + calendar wait " << num(wcal, 3) << "h) carry the buyer's share\n";
        if (i + 1 < ns) {
            y << "    advance: " << num(st.conversion.est, 4) << "   # conversion " << interval_text(st.conversion, 3)
              << " decided; lost " << num(st.lost_share, 3) << ", no decision " << num(st.no_decision_share, 3)
              << " (counted as lost); " << st.open << " still open" << (st.conversion.defaulted ? "; TOO FEW: an assumption" : "") << "\n";
        } else {
            y << "    advance: quality   # conversion " << interval_text(st.conversion, 3) << " decided; lost " << num(st.lost_share, 3)
              << ", no decision " << num(st.no_decision_share, 3) << " (counted as lost); by source through quality\n";
        }
    }
    y << "roles:\n";
    y << "  - name: " << opt.role << "\n";
    if (cal.headcount.defaulted) {
        y << "    headcount: " << num(headcount, 6) << "   # default (no owners in the export): sized for a load of 0.5, an assumption\n";
    } else {
        y << "    headcount: " << num(headcount, 6) << "   # distinct deal owners per month: median " << num(cal.headcount.est, 4) << " [min "
          << num(cal.headcount.low, 4) << ", max " << num(cal.headcount.high, 4) << "], n = " << cal.headcount.n << " full months\n";
    }
    y << "    availability: " << num(a, 3) << "   # assumption; offered load with it " << num(load, 3) << "\n";

    // Assumptions.
    auto& as = out.assumptions;
    as.push_back({"roles." + opt.role + ".availability", a, 0.22, 0.46, "", "share of working time for pipeline work: the export records no effort (CSO Insights 22-46%)"});
    as.push_back({"calibrate.effort_share", phi, std::max(0.02, phi / 3), std::min(0.6, phi * 3),
                  "", "share of a stage's elapsed time that is our work (the rest is the buyer's): the export cannot split them"});
    for (std::size_t i = 0; i < ns; ++i)
        as.push_back({"stages." + cal.stages[i].name + ".effort.gamma.mean", effort[i], effort[i] / 3, effort[i] * 3, "h",
                      "working hours per visit, from the effort share: the export records elapsed time only"});
    for (std::size_t i = 0; i < ns; ++i)
        as.push_back({"stages." + cal.stages[i].name + ".touches", static_cast<double>(gaps[i] + 1), 1, static_cast<double>(2 * gaps[i] + 2), "",
                      "work sessions per visit: chosen so that the buyer gaps carry the buyer's share of the elapsed time"});
    for (const auto& s : cal.sources) {
        if (r > 0 && u > 0)
            as.push_back({"sources." + s.name + ".response_time." + r_family + ".mean", r, r / 2, r * 2, "h",
                          "buyer time per touch gap: derived from the effort share and touches"});
        as.push_back({"sources." + s.name + ".half_life", 0, 0, 1008, "h", "win-chance decay while waiting: the export shows outcomes, not why (0 = none)"});
        if (s.value_mean.defaulted) as.push_back({"sources." + s.name + ".value", 1, 1, 1, "", "too few won deals with an amount: default"});
    }
    as.push_back({"calibrate.no_decision_share", cal.no_decision_share.est, cal.no_decision_share.low, cal.no_decision_share.high, "",
                  "closed deals with no decision: the model has no such outcome yet, they are counted as lost"});
    for (std::size_t i = 0; i < ns; ++i) {
        const auto& st = cal.stages[i];
        if (st.conversion.defaulted && i + 1 < ns)
            as.push_back({"stages." + st.name + ".advance", st.conversion.est, 0.1, 0.9, "", "too few deals decided at this stage (n = " + std::to_string(st.conversion.n) + ")"});
        if (st.time_defaulted)
            as.push_back({"calibrate.stage_time." + st.name, 168, 24, 720, "h", "too few complete visits (n = " + std::to_string(data.stages[i].complete) + "): default 1 week"});
    }
    if (cal.headcount.defaulted)
        as.push_back({"roles." + opt.role + ".headcount", headcount, std::max(1.0, std::floor(headcount / 2)), headcount * 2, "", "no owners in the export: sized for a load of 0.5"});

    y << "# --- assumptions (machine-readable: the lines up to the end marker, without their leading '# ') ---\n";
    y << "# assumptions:\n";
    for (const auto& x : as) {
        y << "#   - {path: " << x.path << ", value: " << num(x.value, 4) << ", min: " << num(x.min, 4) << ", max: " << num(x.max, 4)
          << (x.unit.empty() ? "" : ", unit: " + x.unit) << ", why: \"" << x.why << "\"}\n";
    }
    y << "# --- end of assumptions ---\n";
    if (!cal.notes.empty()) {
        y << "# Notes:\n";
        for (const auto& n : cal.notes) y << "#   " << n << "\n";
    }
    out.yaml = y.str();
    return out;
}

}  // namespace salesflow::calibrate
