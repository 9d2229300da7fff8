// Replication control: stops at the first checkpoint where the 95% half-width is within
// the target, on a metric whose variance is known (Poisson arrivals: var = mean).
#include <doctest/doctest.h>

#include <cmath>

#include "AppTestSupport.hpp"
#include "app/Precision.hpp"
#include "kernel/Summary.hpp"
#include "output/ResultsFile.hpp"

using namespace salesflow;
using namespace salesflow::test;

TEST_CASE("check_precision: half-width relative to the mean") {
    const std::vector<double> v = {9, 11, 10, 10, 9, 11, 10, 10};
    const auto s = kernel::summarize(v);
    const auto c = app::check_precision(v, 5.0);
    CHECK(c.relative_half_width == doctest::Approx(100.0 * s.half_width() / 10.0));
    CHECK(c.enough == (c.relative_half_width <= 5.0));
    CHECK_FALSE(app::check_precision(std::vector<double>{1.0}, 50.0).enough);
    CHECK(app::check_precision(std::vector<double>{0.0, 0.0, 0.0}, 1.0).enough);
    CHECK(app::next_replication_count(10, 10.0, 5.0, 2, 1000) == 44);  // ceil(1.1 x 10 x 4)
    CHECK(app::next_replication_count(10, 5.1, 5.0, 2, 1000) == 12);   // at least min_step more
    CHECK(app::next_replication_count(10, 100.0, 5.0, 2, 50) == 50);   // capped
}

TEST_CASE("run --precision stops at the right checkpoint on Poisson arrivals") {
    const auto dir = scratch("precision");
    // 100 expected arrivals per replication: sd 10, so a 4% half-width needs about
    // (1.96 x 10 / 4)^2 = 24 replications.
    write_file(dir / "p.yaml", R"(name: poisson
simulation: {horizon: 100h, replications: 5, calendar: 24/7, seed: 7}
sources: [{name: in, arrivals: 1/h}]
stages: [{name: s, role: r, effort: 6min}]
roles: [{name: r, headcount: 1}]
)");
    const auto r = run_salesflow("run p.yaml --precision 4 --metric leads_arrived --threads 2 -q -o p.h5", dir);
    REQUIRE(r.status == 0);
    const auto f = output::ResultsFile::open_read(dir / "p.h5");
    const auto x = f.read_table_column_double("/runs/poisson/replications", "leads_arrived");
    const int n = static_cast<int>(x.size());
    CHECK(f.int_attribute("/runs/poisson", "replications") == n);
    CHECK(n >= 12);
    CHECK(n <= 60);
    // Replay the stopping rule on the stored rows: checkpoints 5, then the rule's estimate.
    int at = 5, stop = -1;
    for (int guard = 0; guard < 100 && stop < 0; ++guard) {
        const auto c = app::check_precision(std::span<const double>(x.data(), static_cast<std::size_t>(at)), 4.0);
        if (c.enough) stop = at;
        else at = app::next_replication_count(at, c.relative_half_width, 4.0, 2, 1000);
        REQUIRE(at <= n);
    }
    CHECK(stop == n);
    CHECK(f.double_attribute("/runs/poisson", "precision_achieved_percent") <= 4.0);
}
