// The model against queueing theory: a scenario with calendar 24/7, exponential
// arrivals and one stage per station is a textbook queueing network.
#include <doctest/doctest.h>

#include "ModelTestSupport.hpp"
#include "ScenarioFixtures.hpp"

using namespace salesflow;
using namespace salesflow::test;
using kernel::DistributionSpec;

namespace {
// Long enough that the mean wait is within about 1-2% at these loads; shorter under sanitizers.
double horizon() { return sanitized() ? 40000.0 : 200000.0; }
constexpr int reps = 8;
double rel(double x, double ref) { return std::abs(x - ref) / ref; }
}  // namespace

TEST_CASE("M/M/1: waits, lead time, WIP and utilisation match theory") {
    const double lambda = 0.8, mu = 1.0;
    auto cfg = mgc(lambda, DistributionSpec::exponential(1.0 / mu), 1, horizon(), reps, 1000.0);
    auto rec = run_in_memory(cfg);
    const double rho = lambda / mu;
    const double wq = rho / (mu - lambda);       // 4 h
    const double w = 1.0 / (mu - lambda);        // 5 h
    const double tol = sanitized() ? 0.10 : 0.04;
    CHECK(rel(mean_of(rec, "stage.serve.wait_mean_h"), wq) < tol);
    CHECK(rel(mean_of(rec, "lead_time_mean_h"), w) < tol);
    CHECK(rel(mean_of(rec, "wip_mean"), lambda * w) < tol);
    CHECK(rel(mean_of(rec, "stage.serve.queue_mean"), lambda * wq) < tol);
    CHECK(rel(mean_of(rec, "role.server.utilisation"), rho) < 0.01);
    CHECK(rel(mean_of(rec, "throughput_per_week"), lambda * 168.0) < 0.01);
}

TEST_CASE("M/M/c: mean wait follows Erlang C") {
    struct Case { double lambda; int c; };
    for (Case k : {Case{2.4, 3}, Case{6.5, 8}}) {
        CAPTURE(k.c);
        auto cfg = mgc(k.lambda, DistributionSpec::exponential(1.0), k.c, horizon() / k.c, reps, 500.0);
        auto rec = run_in_memory(cfg);
        const double wq = mmc_wq(k.lambda, 1.0, k.c);
        CHECK(rel(mean_of(rec, "stage.serve.wait_mean_h"), wq) < (sanitized() ? 0.12 : 0.05));
        CHECK(rel(mean_of(rec, "role.server.utilisation"), k.lambda / k.c) < 0.01);
    }
}

TEST_CASE("M/D/1 and M/G/1: mean wait follows Pollaczek-Khinchine") {
    const double lambda = 0.7;
    SUBCASE("deterministic service") {
        auto cfg = mgc(lambda, DistributionSpec::constant(1.0), 1, horizon(), reps, 1000.0);
        auto rec = run_in_memory(cfg);
        CHECK(rel(mean_of(rec, "stage.serve.wait_mean_h"), pk_wq(lambda, 1.0, 0.0)) < (sanitized() ? 0.1 : 0.04));
    }
    SUBCASE("lognormal service, sd 1.5 x mean") {
        auto cfg = mgc(lambda, DistributionSpec::lognormal(1.0, 1.5), 1, horizon(), reps, 1000.0);
        auto rec = run_in_memory(cfg);
        CHECK(rel(mean_of(rec, "stage.serve.wait_mean_h"), pk_wq(lambda, 1.0, 2.25)) < (sanitized() ? 0.15 : 0.06));
    }
    SUBCASE("uniform service") {
        auto cfg = mgc(lambda, DistributionSpec::uniform(0.5, 1.5), 1, horizon(), reps, 1000.0);
        auto rec = run_in_memory(cfg);
        CHECK(rel(mean_of(rec, "stage.serve.wait_mean_h"), pk_wq(lambda, 1.0, 1.0 / 12.0)) < (sanitized() ? 0.1 : 0.04));
    }
}

TEST_CASE("tandem line: each station behaves as an M/M/1 with the same arrival rate") {
    const double lambda = 0.6;
    auto cfg = queueing_scenario("tandem", lambda, horizon(), reps, 1000.0);
    cfg.roles = {role("a", 1), role("b", 1), role("c", 2)};
    cfg.stages = {stage("one", 0, DistributionSpec::exponential(1.0)),
                  stage("two", 1, DistributionSpec::exponential(1.25)),
                  stage("three", 2, DistributionSpec::exponential(2.0))};
    cfg = finish(cfg);
    auto rec = run_in_memory(cfg);
    const double tol = sanitized() ? 0.12 : 0.05;
    CHECK(rel(mean_of(rec, "stage.one.wait_mean_h"), mmc_wq(lambda, 1.0, 1)) < tol);
    CHECK(rel(mean_of(rec, "stage.two.wait_mean_h"), mmc_wq(lambda, 0.8, 1)) < tol);
    CHECK(rel(mean_of(rec, "stage.three.wait_mean_h"), mmc_wq(lambda, 0.5, 2)) < tol);
    const double w = 1.0 + mmc_wq(lambda, 1.0, 1) + 1.25 + mmc_wq(lambda, 0.8, 1) + 2.0 + mmc_wq(lambda, 0.5, 2);
    CHECK(rel(mean_of(rec, "lead_time_mean_h"), w) < tol);
}

TEST_CASE("Jackson network with loss and rework: traffic equations and per-station M/M/c") {
    // qualify -(0.5 advance)-> propose (rework to itself 0.25, advance 0.8) -> close (rework to
    // propose 0.2). Traffic: v1 = 1; v2 = 0.5 + 0.25 v2 + 0.2 v3; v3 = 0.75 * 0.8 v2 = 0.6 v2.
    const double lambda = 1.0;
    auto cfg = queueing_scenario("jackson", lambda, horizon() / 2, reps, 1000.0);
    cfg.roles = {role("sdr", 1), role("ae", 2), role("closer", 1)};
    auto q = stage("qualify", 0, DistributionSpec::exponential(0.5), 0.5);
    auto p = stage("propose", 1, DistributionSpec::exponential(1.5), 0.8);
    p.has_rework = true;
    p.rework_to = 1;
    p.rework_probability = 0.25;
    auto c = stage("close", 2, DistributionSpec::exponential(1.0), 0.5);
    c.has_rework = true;
    c.rework_to = 1;
    c.rework_probability = 0.2;
    cfg.stages = {q, p, c};
    cfg = finish(cfg);
    const double v2 = 0.5 / (1.0 - 0.25 - 0.2 * 0.6), v3 = 0.6 * v2;
    auto rec = run_in_memory(cfg);
    const double arrived = mean_of(rec, "leads_arrived");
    CHECK(rel(mean_of(rec, "stage.propose.visits") / arrived, v2) < 0.01);
    CHECK(rel(mean_of(rec, "stage.close.visits") / arrived, v3) < 0.01);
    const double tol = sanitized() ? 0.12 : 0.05;
    CHECK(rel(mean_of(rec, "stage.qualify.wait_mean_h"), mmc_wq(lambda, 2.0, 1)) < tol);
    CHECK(rel(mean_of(rec, "stage.propose.wait_mean_h"), mmc_wq(lambda * v2, 1.0 / 1.5, 2)) < tol);
    CHECK(rel(mean_of(rec, "stage.close.wait_mean_h"), mmc_wq(lambda * v3, 1.0, 1)) < tol);
    CHECK(rel(mean_of(rec, "role.ae.utilisation"), lambda * v2 * 1.5 / 2) < 0.015);
    // Little's law for the whole network: L = lambda W.
    CHECK(rel(mean_of(rec, "wip_mean"), lambda * mean_of(rec, "lead_time_mean_h")) < 0.02);
}
