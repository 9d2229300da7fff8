#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/CapacityQueue.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"
#include "kernel/Summary.hpp"

using salesflow::kernel::CapacityQueue;
using salesflow::kernel::Engine;
using salesflow::kernel::Event;
using salesflow::kernel::EventCalendar;
using salesflow::kernel::make_engine;
using salesflow::kernel::QueueOrdering;
using salesflow::kernel::summarize;
using salesflow::kernel::Summary;
using salesflow::kernel::Tally;
using salesflow::kernel::uniform01;

TEST_CASE("CapacityQueue: a hand-checked trace with two servers") {
    CapacityQueue q(2, QueueOrdering::fifo);
    CHECK(q.servers() == 2);
    q.reset_statistics(0.0);
    CHECK(q.arrive(0.0, 1));
    CHECK(q.arrive(1.0, 2));
    CHECK_FALSE(q.arrive(2.0, 3));
    CHECK_FALSE(q.arrive(3.0, 4));
    CHECK(q.busy() == 2);
    CHECK(q.waiting() == 2);
    CHECK(q.release(4.0) == std::optional<std::uint32_t>(3));  // waited 2
    CHECK(q.busy() == 2);                                      // the server passes straight on
    CHECK(q.release(5.0) == std::optional<std::uint32_t>(4));  // waited 2
    CHECK(q.waiting() == 0);
    CHECK_FALSE(q.release(6.0).has_value());
    CHECK(q.busy() == 1);
    CHECK_FALSE(q.release(8.0).has_value());
    CHECK(q.busy() == 0);
    // Waits 0, 0, 2, 2. Busy servers: 1 on [0,1), 2 on [1,6), 1 on [6,8), 0 on [8,10).
    CHECK(q.waits().count() == 4);
    CHECK(q.waits().mean() == 1.0);
    CHECK(q.waits().max() == 2.0);
    CHECK(q.utilisation(10.0) == doctest::Approx(13.0 / 20.0).epsilon(1e-15));
    // Number waiting: 1 on [2,3), 2 on [3,4), 1 on [4,5).
    CHECK(q.mean_waiting(10.0) == doctest::Approx(0.4).epsilon(1e-15));
}

TEST_CASE("CapacityQueue: ordering") {
    SUBCASE("priority_then_fifo: higher priority first, FIFO among equals") {
        CapacityQueue q(1, QueueOrdering::priority_then_fifo);
        CHECK(q.arrive(0.0, 0, 0.0));
        const double prio[] = {1.0, 3.0, 3.0, 2.0, 1.0, -1.0};
        for (std::uint32_t id = 1; id <= 6; ++id) CHECK_FALSE(q.arrive(static_cast<double>(id), id, prio[id - 1]));
        std::vector<std::uint32_t> order;
        for (double t = 10.0; auto next = q.release(t); t += 1.0) order.push_back(*next);
        CHECK(order == std::vector<std::uint32_t>{2, 3, 4, 1, 5, 6});
    }
    SUBCASE("fifo ignores priority") {
        CapacityQueue q(1, QueueOrdering::fifo);
        CHECK(q.arrive(0.0, 0, 0.0));
        const double prio[] = {1.0, 3.0, 3.0, 2.0};
        for (std::uint32_t id = 1; id <= 4; ++id) CHECK_FALSE(q.arrive(static_cast<double>(id), id, prio[id - 1]));
        std::vector<std::uint32_t> order;
        for (double t = 10.0; auto next = q.release(t); t += 1.0) order.push_back(*next);
        CHECK(order == std::vector<std::uint32_t>{1, 2, 3, 4});
    }
}

TEST_CASE("CapacityQueue: reset_statistics keeps the state") {
    CapacityQueue q(1, QueueOrdering::fifo);
    q.arrive(0.0, 0);
    q.arrive(1.0, 1);
    q.arrive(2.0, 2);
    q.reset_statistics(5.0);
    CHECK(q.waits().count() == 0);
    CHECK(q.busy() == 1);
    CHECK(q.waiting() == 2);
    CHECK(q.release(6.0) == std::optional<std::uint32_t>(1));  // waited 5, counted after reset
    CHECK(q.waits().count() == 1);
    CHECK(q.waits().mean() == 5.0);
    // Number waiting: 2 on [5,6), 1 on [6,7).
    CHECK(q.mean_waiting(7.0) == doctest::Approx(1.5).epsilon(1e-15));
    CHECK(q.utilisation(7.0) == 1.0);
}

TEST_CASE("CapacityQueue: edge cases") {
    CHECK_THROWS_AS(CapacityQueue(-1, QueueOrdering::fifo), std::invalid_argument);
    CapacityQueue none(0, QueueOrdering::fifo);  // no servers: everyone waits
    CHECK_FALSE(none.arrive(0.0, 1));
    CHECK(none.waiting() == 1);
    CHECK(none.utilisation(1.0) == 0.0);
}

// ---------------------------------------------------------------------------------------
// M/M/c run entirely by the kernel: EventCalendar + RandomStreams + CapacityQueue.
namespace {
#ifdef SALESFLOW_SANITIZED
constexpr std::uint32_t customers_per_rep = 100000;
constexpr double rel_tol = 0.06;  // fewer samples: twice the Release tolerance
#else
constexpr std::uint32_t customers_per_rep = 400000;
constexpr double rel_tol = 0.03;
#endif
constexpr std::uint32_t warmup = 20000;  // customers discarded (the run starts empty)
constexpr int reps = 10;

// Erlang C: mean wait in queue of M/M/c, through the stable Erlang B recursion.
double erlang_c_wait(double lambda, double mu, int c) {
    const double a = lambda / mu;
    double b = 1.0;
    for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
    const double rho = a / c;
    const double pw = b / (1.0 - rho * (1.0 - b));  // probability of waiting
    return pw / (c * mu - lambda);
}

struct RunResult {
    double wait = 0;          // mean wait, from the queue's own tally
    double utilisation = 0;
    double queue_len = 0;     // time-average number waiting
    double lambda_hat = 0;    // arrivals per hour in the observation window
    Tally by_class[2];        // waits by class (1 = high priority), from our own bookkeeping
};

RunResult run_mmc(double lambda, double mu, int c, QueueOrdering ordering, bool two_classes, std::uint64_t seed,
                  std::uint64_t rep) {
    enum Kind : std::uint32_t { arrival, completion };
    EventCalendar cal;
    CapacityQueue q(c, ordering);
    Engine arrivals = make_engine(seed, rep, "test/mmc/arrivals");
    Engine services = make_engine(seed, rep, "test/mmc/services");
    Engine classes = make_engine(seed, rep, "test/mmc/classes");
    auto expo = [](Engine& e, double rate) { return -std::log1p(-uniform01(e)) / rate; };

    // Ring of arrival times and classes, indexed by customer id (far more slots than can
    // ever be in the system at once).
    constexpr std::uint32_t mask = (1u << 18) - 1;
    std::vector<double> arrived_at(mask + 1);
    std::vector<std::uint8_t> klass(mask + 1);
    const std::uint32_t total = warmup + customers_per_rep;

    RunResult r;
    std::uint32_t next_id = 0;
    double t_start = 0.0;
    auto start_service = [&](double t, std::uint32_t id) {
        if (id >= warmup) r.by_class[klass[id & mask]].add(t - arrived_at[id & mask]);
        cal.schedule(t + expo(services, mu), completion, id);
    };

    cal.schedule(expo(arrivals, lambda), arrival);
    Event ev;
    while (cal.pop(ev)) {
        const double t = ev.time;
        if (ev.kind == arrival) {
            const std::uint32_t id = next_id++;
            if (id == warmup) {
                q.reset_statistics(t);
                t_start = t;
            }
            if (id == total) {  // end of the observation window
                r.wait = q.waits().mean();
                r.utilisation = q.utilisation(t);
                r.queue_len = q.mean_waiting(t);
                r.lambda_hat = (total - warmup) / (t - t_start);
                break;
            }
            const std::uint8_t k = two_classes && uniform01(classes) < 0.5 ? 1 : 0;
            arrived_at[id & mask] = t;
            klass[id & mask] = k;
            if (q.arrive(t, id, k)) start_service(t, id);
            cal.schedule(t + expo(arrivals, lambda), arrival);
        } else if (auto next = q.release(t)) {
            start_service(t, *next);
        }
    }
    return r;
}

struct Replicated {
    Summary wait, utilisation, queue_len, lambda_hat, high, low, overall;
    std::vector<double> queue_len_values;
};

Replicated replicate(double lambda, double mu, int c, QueueOrdering ordering, bool two_classes, std::uint64_t seed) {
    std::vector<double> w, u, lq, lh, hi, lo, all, ql;
    for (int i = 0; i < reps; ++i) {
        const RunResult r = run_mmc(lambda, mu, c, ordering, two_classes, seed, static_cast<std::uint64_t>(i));
        w.push_back(r.wait);
        u.push_back(r.utilisation);
        lq.push_back(r.queue_len);
        lh.push_back(r.lambda_hat);
        hi.push_back(r.by_class[1].mean());
        lo.push_back(r.by_class[0].mean());
        const double n1 = static_cast<double>(r.by_class[1].count());
        const double n0 = static_cast<double>(r.by_class[0].count());
        all.push_back((r.by_class[1].sum() + r.by_class[0].sum()) / (n1 + n0));
    }
    return {summarize(w), summarize(u), summarize(lq), summarize(lh), summarize(hi), summarize(lo), summarize(all), lq};
}
}  // namespace

TEST_CASE("CapacityQueue: Erlang C reference values") {
    CHECK(erlang_c_wait(0.9, 1.0, 1) == doctest::Approx(9.0).epsilon(1e-12));  // rho / (mu - lambda)
    // c = 3, a = 2.4: P(wait) = 11.52 / 17.8, Wq = P(wait) / 0.6.
    CHECK(erlang_c_wait(2.4, 1.0, 3) == doctest::Approx(11.52 / 17.8 / 0.6).epsilon(1e-12));
}

TEST_CASE("CapacityQueue: M/M/c through the kernel matches Erlang C") {
    struct Case {
        double lambda, mu;
        int c;
    };
    for (const Case& k : {Case{0.9, 1.0, 1}, Case{2.4, 1.0, 3}, Case{7.0, 1.0, 8}}) {
        CAPTURE(k.lambda);
        CAPTURE(k.c);
        const double wq = erlang_c_wait(k.lambda, k.mu, k.c);
        const double rho = k.lambda / (k.c * k.mu);
        const Replicated s = replicate(k.lambda, k.mu, k.c, QueueOrdering::fifo, false, 2024);
        CAPTURE(wq);
        CAPTURE(s.wait.mean);
        CAPTURE(s.wait.half_width());
        // The theoretical wait lies in the 95% CI over replications, and within rel_tol.
        CHECK(s.wait.ci_low <= wq);
        CHECK(wq <= s.wait.ci_high);
        CHECK(std::abs(s.wait.mean - wq) <= rel_tol * wq);
        // Utilisation = lambda / (c mu) within 1%.
        CAPTURE(s.utilisation.mean);
        CHECK(std::abs(s.utilisation.mean - rho) <= 0.01 * rho);
        // Little's law on the line: Lq = lambda Wq (time average vs customer average).
        CAPTURE(s.queue_len.mean);
        CHECK(std::abs(s.queue_len.mean - k.lambda * wq) <= rel_tol * k.lambda * wq);
        CHECK(std::abs(s.lambda_hat.mean - k.lambda) <= 0.01 * k.lambda);
    }
}

TEST_CASE("CapacityQueue: two priority classes in M/M/1 (conservation law)") {
    // lambda = 0.9 split evenly; high priority (1) served first, non-preemptive.
    // Cobham: W_k = W0 / ((1 - s_{k-1})(1 - s_k)), W0 = lambda E[S^2]/2 = 0.9.
    const double w_high = 0.9 / (1.0 - 0.45);
    const double w_low = 0.9 / ((1.0 - 0.45) * (1.0 - 0.9));
    const Replicated fifo = replicate(0.9, 1.0, 1, QueueOrdering::fifo, true, 77);
    const Replicated prio = replicate(0.9, 1.0, 1, QueueOrdering::priority_then_fifo, true, 77);
    CAPTURE(prio.high.mean);
    CAPTURE(prio.low.mean);
    CAPTURE(prio.overall.mean);
    CAPTURE(fifo.overall.mean);

    // The high-priority class waits much less; under FIFO both classes wait the same.
    CHECK(prio.high.mean < 0.25 * prio.low.mean);
    CHECK(std::abs(fifo.high.mean - fifo.low.mean) <= 2.0 * rel_tol * fifo.overall.mean);
    CHECK(std::abs(prio.high.mean - w_high) <= 2.0 * rel_tol * w_high);
    CHECK(std::abs(prio.low.mean - w_low) <= 2.0 * rel_tol * w_low);

    // Conservation: the customer-weighted average wait is the FIFO one (and Erlang C's 9).
    CHECK(std::abs(prio.overall.mean - fifo.overall.mean) <= rel_tol * fifo.overall.mean);
    CHECK(std::abs(prio.overall.mean - 9.0) <= rel_tol * 9.0);
    // With common random numbers (service times drawn in service order from the same
    // stream) the number-in-queue path is the same under any work-conserving order, so the
    // time-average queue lengths agree to the last bit.
    CHECK(prio.queue_len_values == fifo.queue_len_values);
}
