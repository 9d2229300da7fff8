// mm1_ref: the reference for salesflow's speed: a minimal hand-written M/M/1 event loop
// (lambda = 0.9/h, mu = 1/h) with std::priority_queue, mt19937_64 and Boost's
// exponential distribution, the queue as a deque of arrival times, the mean wait
// tallied. Nothing else: no scenario, no statistics beyond the mean wait. Prints
//   mm1_ref: median X M events/s over R runs (N events each), mean wait W h (theory 9 h)
// Usage: mm1_ref [--hours H (default 1e6)] [--runs R (default 5)]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>

namespace {

struct Ev {
    double time;
    std::uint64_t seq;
    int kind;  // 0 arrival, 1 completion
    bool operator>(const Ev& o) const { return time > o.time || (time == o.time && seq > o.seq); }
};

struct Result {
    double seconds;
    std::uint64_t events;
    double mean_wait;
};

Result run(double hours, std::uint64_t seed) {
    const auto t0 = std::chrono::steady_clock::now();
    boost::random::mt19937_64 arr(seed), svc(seed + 1);
    boost::random::exponential_distribution<double> ia(0.9), st(1.0);
    std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> cal;
    std::deque<double> line;
    std::uint64_t seq = 0, events = 0, served = 0;
    bool busy = false;
    double wait_sum = 0.0;
    cal.push(Ev{ia(arr), seq++, 0});
    while (!cal.empty()) {
        const Ev e = cal.top();
        if (e.time > hours) break;
        cal.pop();
        ++events;
        if (e.kind == 0) {
            const double next = e.time + ia(arr);
            if (next <= hours) cal.push(Ev{next, seq++, 0});
            if (!busy) {
                busy = true;
                ++served;
                cal.push(Ev{e.time + st(svc), seq++, 1});
            } else {
                line.push_back(e.time);
            }
        } else if (!line.empty()) {
            wait_sum += e.time - line.front();
            line.pop_front();
            ++served;
            cal.push(Ev{e.time + st(svc), seq++, 1});
        } else {
            busy = false;
        }
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return Result{s, events, served > 0 ? wait_sum / static_cast<double>(served) : 0.0};
}

}  // namespace

int main(int argc, char** argv) {
    double hours = 1e6;
    int runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--hours") hours = std::atof(argv[i + 1]);
        else if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    }
    std::vector<double> rates;
    Result last{};
    for (int r = 0; r < runs; ++r) {
        last = run(hours, 1 + static_cast<std::uint64_t>(r));
        rates.push_back(static_cast<double>(last.events) / last.seconds);
        std::printf("run %d: %.3f s, %.2f M events/s\n", r + 1, last.seconds, rates.back() / 1e6);
    }
    std::sort(rates.begin(), rates.end());
    std::printf("mm1_ref: median %.2f M events/s over %d runs (%llu events each), mean wait %.2f h (theory 9 h)\n",
                rates[rates.size() / 2] / 1e6, runs, static_cast<unsigned long long>(last.events), last.mean_wait);
    return 0;
}
