#include "design/Sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "design/Claims.hpp"
#include "kernel/RandomStreams.hpp"

namespace salesflow::design {

namespace {

struct Estimate {
    double corrected = 0.0;
    double raw = 0.0;
};

// The classes of an input walked in its sorted order, point p carrying weight c_p =
// count_of(p) (1 for the data; its multiplicity in a bootstrap resample). A point and
// all its copies go to the class of its first position: class floor(pos * M / N).
// yc = y - mean(y); sum_y, sum_c2 and sst are the weighted sum of yc, the sum of c_p^2
// and the weighted total sum of squares. The noise correction is the method-of-moments
// one: with e_p independent of variance s^2 inside a class,
//   E[SSB | no effect] = s^2 (sum_m sum_{p in m} c_p^2 / n_m - sum_p c_p^2 / N),
//   E[SSW]             = s^2 (N - sum_m sum_{p in m} c_p^2 / n_m),
// which for unit weights are s^2 (M - 1) and s^2 (N - M), the one-way ANOVA correction.
template <class CountOf>
Estimate classed_estimate(const std::vector<std::size_t>& order, std::span<const double> yc, CountOf count_of,
                          std::size_t n, std::size_t bins, double sum_y, double sum_c2, double sst,
                          std::vector<double>& class_sum, std::vector<double>& class_n, std::vector<double>& class_c2) {
    if (!(sst > 0.0)) return {};
    std::fill(class_sum.begin(), class_sum.end(), 0.0);
    std::fill(class_n.begin(), class_n.end(), 0.0);
    std::fill(class_c2.begin(), class_c2.end(), 0.0);
    std::size_t pos = 0;
    for (std::size_t p : order) {
        const std::size_t c = count_of(p);
        if (c == 0) continue;
        const std::size_t m = pos * bins / n;
        const double cc = static_cast<double>(c);
        class_sum[m] += cc * yc[p];
        class_n[m] += cc;
        class_c2[m] += cc * cc;
        pos += c;
    }
    double ssb = 0.0, within_c2 = 0.0;
    for (std::size_t m = 0; m < bins; ++m)
        if (class_n[m] > 0.0) {
            ssb += class_sum[m] * class_sum[m] / class_n[m];
            within_c2 += class_c2[m] / class_n[m];
        }
    const double nn = static_cast<double>(n);
    ssb -= sum_y * sum_y / nn;
    ssb = std::max(0.0, ssb);
    const double ssw = std::max(0.0, sst - ssb);
    const double noise_dof = within_c2 - sum_c2 / nn;  // M - 1 for unit weights
    const double within_dof = nn - within_c2;           // N - M for unit weights
    Estimate e;
    e.raw = ssb / sst;
    e.corrected = within_dof > 0.0 ? (ssb - noise_dof * ssw / within_dof) / sst : e.raw;
    return e;
}

}  // namespace

SensitivityResult first_order_indices(std::span<const double> x, std::size_t d, std::span<const double> y,
                                      const SensitivityOptions& o) {
    auto bad = [](const std::string& what) { throw std::invalid_argument("sensitivity indices: " + what); };
    const std::size_t n = y.size();
    if (d < 1) bad("needs at least one input");
    if (x.size() != n * d) bad("expected " + std::to_string(n * d) + " input values for " + std::to_string(n) +
                              " outputs and " + std::to_string(d) + " inputs, got " + std::to_string(x.size()));
    if (n < 4) bad("needs at least 4 points, got " + std::to_string(n));
    if (!(o.level > 0.0 && o.level < 1.0)) bad("the interval level must be in (0, 1)");
    if (!(o.tail > 0.0 && o.tail <= 0.5)) bad("the tornado tail share must be in (0, 0.5]");
    for (double v : x)
        if (!std::isfinite(v)) bad("an input value is not a finite number");
    for (double v : y)
        if (!std::isfinite(v)) bad("an output value is not a finite number");
    std::size_t bins = o.bins;
    if (bins == 0) bins = std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(n)))), 2, n / 2);
    else if (bins < 2 || bins > n / 2) bad("the number of classes must be between 2 and N/2 = " + std::to_string(n / 2));

    SensitivityResult res;
    res.n = n;
    res.bins = bins;
    res.mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
    std::vector<double> yc(n);
    double sst = 0.0, sum_c = 0.0;
    for (std::size_t p = 0; p < n; ++p) {
        yc[p] = y[p] - res.mean;
        sum_c += yc[p];
        sst += yc[p] * yc[p];
    }
    sst -= sum_c * sum_c / static_cast<double>(n);
    res.variance = sst / static_cast<double>(n - 1);

    // Each input's order (stable: equal values keep the data's order).
    std::vector<std::vector<std::size_t>> orders(d, std::vector<std::size_t>(n));
    for (std::size_t i = 0; i < d; ++i) {
        auto& ord = orders[i];
        std::iota(ord.begin(), ord.end(), std::size_t{0});
        std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) { return x[a * d + i] < x[b * d + i]; });
    }

    std::vector<double> class_sum(bins), class_n(bins), class_c2(bins);
    const auto one = [](std::size_t) { return std::size_t{1}; };
    const std::size_t g = std::min(n, static_cast<std::size_t>(std::ceil(o.tail * static_cast<double>(n) - 1e-9)));
    res.inputs.resize(d);
    for (std::size_t i = 0; i < d; ++i) {
        const Estimate e = classed_estimate(orders[i], yc, one, n, bins, sum_c, static_cast<double>(n), sst, class_sum, class_n, class_c2);
        InputSensitivity& s = res.inputs[i];
        s.first_order = e.corrected;
        s.raw = e.raw;
        s.lower = s.upper = e.corrected;
        double ly = 0.0, lx = 0.0, hy = 0.0, hx = 0.0;
        for (std::size_t q = 0; q < g; ++q) {
            const std::size_t lo = orders[i][q], hi = orders[i][n - 1 - q];
            ly += y[lo];
            lx += x[lo * d + i];
            hy += y[hi];
            hx += x[hi * d + i];
        }
        const double gg = static_cast<double>(g);
        s.low_mean = ly / gg;
        s.low_x = lx / gg;
        s.high_mean = hy / gg;
        s.high_x = hx / gg;
    }

    if (o.bootstrap == 0) return res;
    // Percentile bootstrap: the same resamples of the points for every input.
    std::vector<std::vector<double>> estimates(d, std::vector<double>(o.bootstrap));
    std::vector<std::size_t> counts(n);
    const auto count_of = [&](std::size_t p) { return counts[p]; };
    for (std::size_t b = 0; b < o.bootstrap; ++b) {
        kernel::Engine e = kernel::make_engine(o.seed, b, "design/sensitivity/bootstrap");
        std::fill(counts.begin(), counts.end(), 0);
        for (std::size_t q = 0; q < n; ++q) {
            auto p = static_cast<std::size_t>(kernel::uniform01(e) * static_cast<double>(n));
            ++counts[std::min(p, n - 1)];
        }
        double bs = 0.0, bss = 0.0, bc2 = 0.0;
        for (std::size_t p = 0; p < n; ++p) {
            const double c = static_cast<double>(counts[p]);
            bs += c * yc[p];
            bss += c * yc[p] * yc[p];
            bc2 += c * c;
        }
        bss -= bs * bs / static_cast<double>(n);
        for (std::size_t i = 0; i < d; ++i)
            estimates[i][b] = classed_estimate(orders[i], yc, count_of, n, bins, bs, bc2, bss, class_sum, class_n, class_c2).corrected;
    }
    for (std::size_t i = 0; i < d; ++i) {
        std::sort(estimates[i].begin(), estimates[i].end());
        res.inputs[i].lower = quantile_sorted(estimates[i], 0.5 * (1.0 - o.level));
        res.inputs[i].upper = quantile_sorted(estimates[i], 0.5 * (1.0 + o.level));
    }
    return res;
}

}  // namespace salesflow::design
