// bench_kernel: the raw speed of the simulation kernel on an M/M/1 queue (lambda = 0.9/h,
// mu = 1/h), with nothing but EventCalendar + RandomStreams + CapacityQueue. A model
// event is an arrival or a service completion. Prints each run's rate and the median:
//   bench_kernel: median X Mevents/s over R runs (N events each)
// and the measured mean wait in queue (theory: rho / (mu - lambda) = 9 h), so the bench
// is also a sanity check.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "kernel/CapacityQueue.hpp"
#include "kernel/EventCalendar.hpp"
#include "kernel/RandomStreams.hpp"

namespace k = salesflow::kernel;

namespace {

struct RunResult {
    double seconds = 0;
    double mean_wait = 0;
    double utilisation = 0;
    std::uint64_t events = 0;
};

RunResult run_mm1(std::uint64_t events, std::uint64_t rep) {
    constexpr double lambda = 0.9;
    constexpr double mu = 1.0;
    enum Kind : std::uint32_t { arrival, completion };

    k::EventCalendar cal;
    cal.reserve(1024);
    k::CapacityQueue q(1, k::QueueOrdering::fifo);
    k::Engine arrivals = k::make_engine(1, rep, "bench/mm1/arrivals");
    k::Engine services = k::make_engine(1, rep, "bench/mm1/services");
    auto expo = [](k::Engine& e, double rate) { return -std::log1p(-k::uniform01(e)) / rate; };

    const auto t0 = std::chrono::steady_clock::now();
    std::uint32_t next_id = 0;
    cal.schedule(expo(arrivals, lambda), arrival);
    k::Event ev;
    while (cal.processed() < events && cal.pop(ev)) {
        if (ev.kind == arrival) {
            if (q.arrive(ev.time, next_id++)) cal.schedule(ev.time + expo(services, mu), completion);
            cal.schedule(ev.time + expo(arrivals, lambda), arrival);
        } else if (q.release(ev.time)) {
            cal.schedule(ev.time + expo(services, mu), completion);
        }
    }
    const auto t1 = std::chrono::steady_clock::now();

    RunResult r;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    r.events = cal.processed();
    r.mean_wait = q.waits().mean();
    r.utilisation = q.utilisation(cal.now());
    return r;
}

std::uint64_t parse_count(const char* s) {
    // Accepts 20000000 as well as 2e7.
    char* end = nullptr;
    const double v = std::strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= 1.0) || v > 1e15) {
        std::fprintf(stderr, "bench_kernel: bad number '%s'\n", s);
        std::exit(2);
    }
    return static_cast<std::uint64_t>(std::llround(v));
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t events = 20'000'000;
    std::uint64_t runs = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--events" && i + 1 < argc) {
            events = parse_count(argv[++i]);
        } else if (a == "--runs" && i + 1 < argc) {
            runs = parse_count(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: bench_kernel [--events N] [--runs R]\n");
            return a == "--help" || a == "-h" ? 0 : 2;
        }
    }

    std::vector<double> rates;
    double wait_sum = 0, util_sum = 0;
    for (std::uint64_t r = 0; r < runs; ++r) {
        const RunResult res = run_mm1(events, r);
        const double rate = static_cast<double>(res.events) / res.seconds / 1e6;
        rates.push_back(rate);
        wait_sum += res.mean_wait;
        util_sum += res.utilisation;
        std::printf("run %llu: %.2f Mevents/s (%.3f s), mean wait %.3f h, utilisation %.4f\n",
                    static_cast<unsigned long long>(r + 1), rate, res.seconds, res.mean_wait, res.utilisation);
    }
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    const double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    std::printf("mean wait in queue: %.3f h (M/M/1 theory 9.000 h), utilisation %.4f (theory 0.9000)\n",
                wait_sum / static_cast<double>(runs), util_sum / static_cast<double>(runs));
    std::printf("bench_kernel: median %.2f Mevents/s over %llu runs (%llu events each)\n", median,
                static_cast<unsigned long long>(runs), static_cast<unsigned long long>(events));
    return 0;
}
