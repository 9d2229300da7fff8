#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include <boost/random/normal_distribution.hpp>

#include "design/RankingSelection.hpp"
#include "kernel/RandomStreams.hpp"

using namespace salesflow;
using design::Direction;
using design::RankingOptions;
using design::RankingResult;

namespace {

constexpr int repetitions = 100;  // a cheap model: the full count even under the sanitizers

// k normal systems with means mu[i], sd 1, and correlation rho between any two systems
// at the same replication (common random numbers): X_i = mu_i + sqrt(rho) Z_0 + sqrt(1 - rho) Z_i,
// Z_0 drawn from the stream shared by all systems of the replication.
struct NormalSystems {
    std::vector<double> mu;
    double rho = 0.5;
    std::uint64_t seed = 1;
    long long calls = 0;

    double sample(std::size_t i, int replication) {
        ++calls;
        const auto rep = static_cast<std::uint64_t>(replication);
        boost::random::normal_distribution<double> normal;
        auto common = kernel::make_engine(seed, rep, "test/common");
        auto own = kernel::make_engine(seed, rep, "test/system/" + std::to_string(i));
        return mu[i] + std::sqrt(rho) * normal(common) + std::sqrt(1.0 - rho) * normal(own);
    }
    design::SampleRound sampler() {
        return [this](std::span<const std::size_t> systems, int r, std::span<double> out) {
            for (std::size_t j = 0; j < systems.size(); ++j) out[j] = sample(systems[j], r);
        };
    }
};

void check_bookkeeping(const RankingResult& res, const RankingOptions& o, std::size_t k) {
    REQUIRE(res.replications.size() == k);
    long long total = 0;
    std::size_t chosen_count = 0;
    for (std::size_t i = 0; i < k; ++i) {
        CHECK(res.replications[i] >= o.first_stage);
        CHECK(res.replications[i] <= o.max_replications);
        total += res.replications[i];
        if (res.outcome[i] == design::Outcome::chosen) ++chosen_count;
        if (res.outcome[i] == design::Outcome::screened_out) CHECK(res.eliminated_at[i] == o.first_stage);
        if (res.outcome[i] == design::Outcome::eliminated) CHECK(res.eliminated_at[i] == res.replications[i]);
        if (res.outcome[i] == design::Outcome::chosen || res.outcome[i] == design::Outcome::tied) CHECK(res.eliminated_at[i] == 0);
    }
    CHECK(chosen_count == 1);
    CHECK(res.outcome[res.chosen] == design::Outcome::chosen);
    CHECK(total == res.total_replications);
    CHECK(std::find(res.tied.begin(), res.tied.end(), res.chosen) != res.tied.end());
    CHECK(std::is_sorted(res.tied.begin(), res.tied.end()));
    if (!res.capped) {
        for (std::size_t i : res.tied) CHECK(res.means[i] == res.means[res.chosen]);
    }
}

// The share of `repetitions` independent repetitions in which the procedure chooses `best`.
double correct_selection_rate(std::vector<double> mu, std::size_t best, const RankingOptions& o, double& mean_total) {
    int correct = 0;
    mean_total = 0.0;
    for (int rep = 0; rep < repetitions; ++rep) {
        NormalSystems sys{mu, 0.5, 1000 + static_cast<std::uint64_t>(rep)};
        const RankingResult res = design::select_best(mu.size(), o, sys.sampler());
        check_bookkeeping(res, o, mu.size());
        CHECK(sys.calls == res.total_replications);  // every sample asked for is counted, none twice
        if (res.chosen == best) ++correct;
        mean_total += static_cast<double>(res.total_replications) / repetitions;
    }
    return static_cast<double>(correct) / repetitions;
}

}  // namespace

TEST_CASE("constants: the screening t quantile and the KN eta and h^2") {
    RankingOptions o;
    o.delta = 1.0;
    o.alpha = 0.05;
    o.first_stage = 10;
    // k = 2: alpha1 = 0.025, t = the 0.975 quantile of t with 9 dof (tables: 2.262157).
    design::RankingSelection two(2, o);
    two.record(std::vector<double>(20, 0.0));
    const RankingResult r2 = two.result();
    CHECK(r2.screening_t == doctest::Approx(2.2622).epsilon(1e-4));
    // eta = 0.5 ((2 alpha2 / (k-1))^(-2/(n0-1)) - 1) with alpha2 = 0.025, k = 2: 0.5 (0.05^(-2/9) - 1).
    CHECK(r2.eta == doctest::Approx(0.5 * (std::pow(0.05, -2.0 / 9.0) - 1.0)));
    CHECK(r2.h2 == doctest::Approx(2.0 * r2.eta * 9.0));
    // k = 10: t is the 1 - 0.025/9 quantile with 9 dof (scipy.stats.t.ppf(1 - 0.025/9, 9) = 3.621868).
    design::RankingSelection ten(10, o);
    ten.record(std::vector<double>(100, 0.0));
    CHECK(ten.result().screening_t == doctest::Approx(3.62187).epsilon(1e-5));
}

TEST_CASE("the best of 10 correlated normal systems, 1.5 delta ahead, is chosen in >= 95% of 100 repetitions") {
    RankingOptions o;
    o.delta = 0.5;
    o.alpha = 0.05;
    o.first_stage = 10;
    o.max_replications = 2000;  // high enough never to bind here
    std::vector<double> mu(10, 0.0);
    mu[6] = 1.5 * o.delta;
    double spent = 0.0;
    const double rate = correct_selection_rate(mu, 6, o, spent);
    std::printf("ranking and selection, maximise, k=10, rho=0.5, gap 1.5 delta: PCS %.2f over %d repetitions, %.0f replications per repetition\n",
                rate, repetitions, spent);
    CHECK(rate >= 0.95);
}

TEST_CASE("minimising: the system 1.5 delta below the others is chosen in >= 95% of 100 repetitions") {
    RankingOptions o;
    o.direction = Direction::minimise;
    o.delta = 0.5;
    o.first_stage = 10;
    o.max_replications = 2000;
    std::vector<double> mu(10, 3.0);
    mu[2] = 3.0 - 1.5 * o.delta;
    double spent = 0.0;
    const double rate = correct_selection_rate(mu, 2, o, spent);
    std::printf("ranking and selection, minimise, k=10, rho=0.5, gap 1.5 delta: PCS %.2f over %d repetitions, %.0f replications per repetition\n",
                rate, repetitions, spent);
    CHECK(rate >= 0.95);
}

TEST_CASE("all systems equal: the procedure ends (by the cap or its own rule) with consistent bookkeeping") {
    RankingOptions o;
    o.delta = 0.2;
    o.first_stage = 10;
    o.max_replications = 60;  // below h^2 S^2 / delta^2 (about 490 here): the cap decides
    int capped = 0;
    for (int rep = 0; rep < 20; ++rep) {
        NormalSystems sys{std::vector<double>(5, 1.0), 0.5, 77 + static_cast<std::uint64_t>(rep)};
        const RankingResult res = design::select_best(5, o, sys.sampler());
        check_bookkeeping(res, o, 5);
        if (res.capped) {
            ++capped;
            CHECK(res.tied.size() >= 2);
            for (std::size_t i : res.tied) CHECK(res.replications[i] == o.max_replications);
            for (std::size_t i : res.tied) CHECK(res.means[i] <= res.means[res.chosen]);
        }
    }
    CHECK(capped > 0);
    // Without a binding cap the procedure ends by its own rule, after at most
    // max over pairs of h^2 S_il^2 / delta^2 + 1 replications.
    o.max_replications = 100000;
    NormalSystems sys{std::vector<double>(5, 1.0), 0.5, 5};
    const RankingResult res = design::select_best(5, o, sys.sampler());
    check_bookkeeping(res, o, 5);
    CHECK_FALSE(res.capped);
    CHECK(res.tied.size() == 1);
}

TEST_CASE("identical outputs: the continuation region is closed at once, all tied, no extra replications") {
    RankingOptions o;
    o.delta = 1.0;
    o.first_stage = 5;
    const RankingResult res = design::select_best(4, o, [](std::span<const std::size_t>, int r, std::span<double> out) {
        for (double& v : out) v = static_cast<double>(r % 3);
    });
    CHECK_FALSE(res.capped);
    CHECK(res.chosen == 0);
    CHECK(res.tied == std::vector<std::size_t>{0, 1, 2, 3});
    CHECK(res.total_replications == 20);
}

TEST_CASE("a clearly worse system is screened out at n0; a clearly better one is chosen at n0") {
    RankingOptions o;
    o.delta = 0.1;
    o.first_stage = 4;
    // Paired differences are constant, so S_ij = 0 and W_ij = 0: screening keeps only systems
    // not below another by more than (0 - delta)^+ = 0.
    const RankingResult res = design::select_best(3, o, [](std::span<const std::size_t> s, int r, std::span<double> out) {
        for (std::size_t j = 0; j < s.size(); ++j) out[j] = static_cast<double>(r) + (s[j] == 1 ? 5.0 : 0.0) - static_cast<double>(s[j]);
    });
    CHECK(res.chosen == 1);
    CHECK(res.survivors_of_screening == 1);
    CHECK(res.outcome[0] == design::Outcome::screened_out);
    CHECK(res.outcome[2] == design::Outcome::screened_out);
    CHECK(res.means[1] == doctest::Approx(1.5 + 4.0));  // replications 0..3 have mean 1.5
    CHECK(res.total_replications == 12);
}

TEST_CASE("the state machine, select_best and batched looks agree; rounds ask for consecutive replications") {
    RankingOptions o;
    o.delta = 0.5;
    o.first_stage = 8;
    std::vector<double> mu = {0.0, 0.3, 0.9, 0.2, 0.85};
    NormalSystems a{mu, 0.5, 42};
    const RankingResult by_loop = design::select_best(mu.size(), o, a.sampler());

    NormalSystems b{mu, 0.5, 42};
    design::RankingSelection rs(mu.size(), o);
    int next = 0;
    std::vector<double> values;
    while (!rs.done()) {
        const design::Round rd = rs.round();
        CHECK(rd.first_replication == next);
        CHECK(rd.count == (next == 0 ? o.first_stage : 1));
        values.clear();
        for (int t = 0; t < rd.count; ++t)
            for (std::size_t i : rd.systems) values.push_back(b.sample(i, rd.first_replication + t));
        next += rd.count;
        rs.record(values);
    }
    const RankingResult by_hand = rs.result();
    CHECK(by_hand.chosen == by_loop.chosen);
    CHECK(by_hand.replications == by_loop.replications);
    CHECK(by_hand.means == by_loop.means);
    CHECK(by_hand.eliminated_at == by_loop.eliminated_at);

    // Looking every 5 replications: never fewer replications, rounds of 5 (less at the cap).
    o.step = 5;
    NormalSystems c{mu, 0.5, 42};
    const RankingResult batched = design::select_best(mu.size(), o, c.sampler());
    for (std::size_t i = 0; i < mu.size(); ++i) CHECK((batched.replications[i] - o.first_stage) % 5 == 0);
    CHECK(batched.total_replications >= by_loop.total_replications);
}

TEST_CASE("bad options and bad samples are refused with a message") {
    RankingOptions o;
    CHECK_THROWS_WITH_AS(design::RankingSelection(3, o), "ranking and selection: the indifference zone delta must be a finite number > 0",
                         std::invalid_argument);
    o.delta = 1.0;
    o.first_stage = 1;
    CHECK_THROWS_WITH_AS(design::RankingSelection(3, o), "ranking and selection: the first stage needs at least 2 replications per system",
                         std::invalid_argument);
    o.first_stage = 10;
    o.max_replications = 5;
    CHECK_THROWS_WITH_AS(design::RankingSelection(3, o),
                         "ranking and selection: max_replications must be at least the first stage's replications", std::invalid_argument);
    o.max_replications = 100;
    o.alpha = 1.0;
    CHECK_THROWS_AS(design::RankingSelection(3, o), std::invalid_argument);
    o.alpha = 0.05;
    CHECK_THROWS_AS(design::RankingSelection(0, o), std::invalid_argument);
    design::RankingSelection rs(3, o);
    CHECK_THROWS_WITH_AS(rs.record(std::vector<double>(29, 0.0)), "ranking and selection: expected 30 samples, got 29",
                         std::invalid_argument);
    std::vector<double> v(30, 0.0);
    v[4] = std::nan("");
    CHECK_THROWS_WITH_AS(rs.record(v), "ranking and selection: a sample is not a finite number", std::invalid_argument);
    CHECK_THROWS_AS((void)rs.result(), std::logic_error);
}

TEST_CASE("a single system is chosen after its first stage, with its mean") {
    RankingOptions o;
    o.delta = 1.0;
    o.first_stage = 4;
    const RankingResult res = design::select_best(1, o, [](std::span<const std::size_t> s, int r, std::span<double> out) {
        CHECK(s.size() == 1);
        out[0] = static_cast<double>(r);
    });
    CHECK(res.chosen == 0);
    CHECK(res.tied == std::vector<std::size_t>{0});
    CHECK(res.replications[0] == 4);
    CHECK(res.means[0] == doctest::Approx(1.5));
    CHECK(res.screening_t == 0.0);
}
