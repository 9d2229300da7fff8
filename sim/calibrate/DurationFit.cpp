#include "calibrate/DurationFit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

namespace salesflow::calibrate {

namespace {

constexpr double floor_h = 1.0 / 60.0;
constexpr double inf = std::numeric_limits<double>::infinity();

using Fn = std::function<double(double, double)>;   // negative log-likelihood

// Nelder-Mead in two dimensions.
std::array<double, 2> minimise(const Fn& f, std::array<double, 2> x0, double step) {
    std::array<std::array<double, 2>, 3> p = {x0, {x0[0] + step, x0[1]}, {x0[0], x0[1] + step}};
    std::array<double, 3> v{};
    for (int i = 0; i < 3; ++i) v[i] = f(p[i][0], p[i][1]);
    for (int it = 0; it < 2000; ++it) {
        std::array<int, 3> o = {0, 1, 2};
        std::sort(o.begin(), o.end(), [&](int a, int b) { return v[a] < v[b]; });
        const int b = o[0], m = o[1], w = o[2];
        if (std::fabs(v[w] - v[b]) < 1e-10 * (1.0 + std::fabs(v[b])) &&
            std::fabs(p[w][0] - p[b][0]) + std::fabs(p[w][1] - p[b][1]) < 1e-9)
            break;
        const std::array<double, 2> c = {(p[b][0] + p[m][0]) / 2, (p[b][1] + p[m][1]) / 2};
        auto at = [&](double t) { return std::array<double, 2>{c[0] + t * (p[w][0] - c[0]), c[1] + t * (p[w][1] - c[1])}; };
        const auto r = at(-1.0);
        const double fr = f(r[0], r[1]);
        if (fr < v[b]) {
            const auto e = at(-2.0);
            const double fe = f(e[0], e[1]);
            if (fe < fr) { p[w] = e; v[w] = fe; } else { p[w] = r; v[w] = fr; }
        } else if (fr < v[m]) {
            p[w] = r; v[w] = fr;
        } else {
            const auto k = fr < v[w] ? at(-0.5) : at(0.5);
            const double fk = f(k[0], k[1]);
            if (fk < std::min(fr, v[w])) {
                p[w] = k; v[w] = fk;
            } else {
                for (int i : {m, w}) {
                    p[i] = {(p[i][0] + p[b][0]) / 2, (p[i][1] + p[b][1]) / 2};
                    v[i] = f(p[i][0], p[i][1]);
                }
            }
        }
    }
    int b = 0;
    for (int i = 1; i < 3; ++i) if (v[i] < v[b]) b = i;
    return p[b];
}

// 95% interval of g(x) at the optimum by the delta method: Var = grad' H^-1 grad with H the
// Hessian of the negative log-likelihood (numerical, central differences).
std::pair<double, double> delta_interval(const Fn& nll, std::array<double, 2> x, const std::function<double(double, double)>& logg) {
    const double h = 1e-4;
    auto F = [&](double a, double b) { return nll(a, b); };
    const double f0 = F(x[0], x[1]);
    const double haa = (F(x[0] + h, x[1]) - 2 * f0 + F(x[0] - h, x[1])) / (h * h);
    const double hbb = (F(x[0], x[1] + h) - 2 * f0 + F(x[0], x[1] - h)) / (h * h);
    const double hab = (F(x[0] + h, x[1] + h) - F(x[0] + h, x[1] - h) - F(x[0] - h, x[1] + h) + F(x[0] - h, x[1] - h)) / (4 * h * h);
    const double det = haa * hbb - hab * hab;
    const double g0 = logg(x[0], x[1]);
    if (!(det > 0) || !(haa > 0)) return {std::exp(g0), std::exp(g0)};
    const double ia = hbb / det, ib = haa / det, iab = -hab / det;
    const double ga = (logg(x[0] + h, x[1]) - logg(x[0] - h, x[1])) / (2 * h);
    const double gb = (logg(x[0], x[1] + h) - logg(x[0], x[1] - h)) / (2 * h);
    const double var = ga * ga * ia + 2 * ga * gb * iab + gb * gb * ib;
    const double se = std::sqrt(std::max(0.0, var));
    return {std::exp(g0 - 1.96 * se), std::exp(g0 + 1.96 * se)};
}

double log_normal_sf(double z) {  // log(1 - Phi(z)), stable in the tail
    return std::log(0.5 * boost::math::erfc(z / std::sqrt(2.0)));
}

}  // namespace

double FamilyFit::cdf(double t) const {
    if (t <= 0) return 0.0;
    if (family == "lognormal") return 0.5 * boost::math::erfc(-(std::log(t) - p1) / (p2 * std::sqrt(2.0)));
    return boost::math::gamma_p(p1, t / p2);
}

double FamilyFit::quantile(double p) const {
    if (family == "lognormal") return boost::math::quantile(boost::math::lognormal_distribution<double>(p1, p2), p);
    return boost::math::quantile(boost::math::gamma_distribution<double>(p1, p2), p);
}

double DurationEstimate::mean() const {
    if (use_empirical) {
        double s = 0;
        for (double v : empirical) s += v;
        return empirical.empty() ? 0.0 : s / static_cast<double>(empirical.size());
    }
    return best() ? best()->mean : 0.0;
}

DurationEstimate fit_durations(const std::vector<Duration>& raw) {
    DurationEstimate e;
    std::vector<double> obs, cen;
    for (const auto& d : raw) (d.censored ? cen : obs).push_back(std::max(d.t_h, floor_h));
    e.n = static_cast<std::int64_t>(raw.size());
    e.n_censored = static_cast<std::int64_t>(cen.size());
    if (obs.empty()) return e;
    double s = 0, sl = 0, sl2 = 0, slog = 0;
    for (double t : obs) {
        s += t;
        sl += std::log(t);
        sl2 += std::log(t) * std::log(t);
        slog += std::log(t);
    }
    const double n = static_cast<double>(obs.size());
    e.naive_mean = s / n;
    double sum_log_obs = slog;
    const double mu0 = sl / n;
    const double sg0 = std::sqrt(std::max(1e-4, sl2 / n - mu0 * mu0));

    // Lognormal (mu, log sigma).
    {
        Fn nll = [&](double mu, double ls) {
            const double sg = std::exp(ls);
            double ll = -n * std::log(sg) - sum_log_obs - 0.5 * n * std::log(2 * M_PI);
            for (double t : obs) {
                const double z = (std::log(t) - mu) / sg;
                ll -= 0.5 * z * z;
            }
            for (double c : cen) ll += log_normal_sf((std::log(c) - mu) / sg);
            return std::isfinite(ll) ? -ll : inf;
        };
        const auto x = minimise(nll, {mu0, std::log(sg0)}, 0.3);
        auto& f = e.lognormal;
        f.family = "lognormal";
        f.p1 = x[0];
        f.p2 = std::exp(x[1]);
        f.loglik = -nll(x[0], x[1]);
        f.aic = 4 - 2 * f.loglik;
        f.mean = std::exp(f.p1 + f.p2 * f.p2 / 2);
        f.sd = f.mean * std::sqrt(std::expm1(f.p2 * f.p2));
        const auto [lo, hi] = delta_interval(nll, x, [](double mu, double ls) { return mu + std::exp(2 * ls) / 2; });
        f.mean_low = lo;
        f.mean_high = hi;
        f.ok = std::isfinite(f.loglik) && std::isfinite(f.mean);
    }
    // Gamma (log k, log theta).
    {
        const double m = e.naive_mean;
        double v = 0;
        for (double t : obs) v += (t - m) * (t - m);
        v = std::max(v / n, 1e-6 * m * m);
        const double k0 = std::clamp(m * m / v, 0.05, 50.0);
        Fn nll = [&](double lk, double lt) {
            const double k = std::exp(lk), th = std::exp(lt);
            if (!(k > 1e-6 && k < 1e6 && th > 1e-12 && th < 1e15)) return inf;
            const double lgk = std::lgamma(k);
            double ll = 0;
            for (double t : obs) ll += (k - 1) * std::log(t) - t / th - lgk - k * std::log(th);
            for (double c : cen) {
                const double q = boost::math::gamma_q(k, c / th);
                ll += q > 0 ? std::log(q) : -1e300;
            }
            return std::isfinite(ll) ? -ll : inf;
        };
        const auto x = minimise(nll, {std::log(k0), std::log(m / k0)}, 0.3);
        auto& f = e.gamma;
        f.family = "gamma";
        f.p1 = std::exp(x[0]);
        f.p2 = std::exp(x[1]);
        f.loglik = -nll(x[0], x[1]);
        f.aic = 4 - 2 * f.loglik;
        f.mean = f.p1 * f.p2;
        f.sd = std::sqrt(f.p1) * f.p2;
        const auto [lo, hi] = delta_interval(nll, x, [](double lk, double lt) { return lk + lt; });
        f.mean_low = lo;
        f.mean_high = hi;
        f.ok = std::isfinite(f.loglik) && std::isfinite(f.mean);
    }
    e.best_index = (e.gamma.ok && (!e.lognormal.ok || e.gamma.aic < e.lognormal.aic)) ? 1 : 0;

    // Kaplan-Meier over the data; distance to the chosen family's CDF at the event times.
    std::vector<std::pair<double, int>> all;  // (time, 1 event / 0 censored), events first at ties
    for (double t : obs) all.emplace_back(t, 1);
    for (double c : cen) all.emplace_back(c, 0);
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.first < b.first || (a.first == b.first && a.second > b.second); });
    std::vector<std::pair<double, double>> km;  // (time, F after it)
    double surv = 1.0;
    std::size_t at_risk = all.size();
    for (std::size_t i = 0; i < all.size();) {
        std::size_t j = i, d = 0, c = 0;
        while (j < all.size() && all[j].first == all[i].first) {
            (all[j].second ? d : c) += 1;
            ++j;
        }
        if (d > 0) {
            const double before = 1.0 - surv;
            surv *= 1.0 - static_cast<double>(d) / static_cast<double>(at_risk);
            const double F = e.best()->cdf(all[i].first);
            e.km_distance = std::max({e.km_distance, std::fabs(F - (1.0 - surv)), std::fabs(F - before)});
            km.emplace_back(all[i].first, 1.0 - surv);
        }
        at_risk -= d + c;
        i = j;
    }
    e.km_critical = 1.36 / std::sqrt(n);
    e.use_empirical = obs.size() >= 200 && e.km_distance > e.km_critical;
    if (e.use_empirical) {
        for (int i = 0; i < 50; ++i) {
            const double p = (i + 0.5) / 50.0;
            const auto it = std::find_if(km.begin(), km.end(), [&](const auto& q) { return q.second >= p; });
            const double q = it != km.end() ? it->first : e.best()->quantile(p);
            e.empirical.push_back(e.empirical.empty() ? q : std::max(q, e.empirical.back()));
        }
    }
    return e;
}

}  // namespace salesflow::calibrate
