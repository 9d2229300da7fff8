#pragma once
// RunPool: the workers that run the board's simulations, apart from the HTTP threads, so
// that a slow run never holds up a page or another client. A bounded number of runs wait
// (beyond it submit() refuses and the server answers 503); each run gets a wall-clock
// budget from the moment it starts, enforced by a watchdog through RunControl::stop;
// shutdown() stops every run at once (the model checks the flag every few thousand events).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "serve/BoardRun.hpp"

namespace salesflow::serve {

class RunPool {
public:
    using Job = std::function<void(RunControl&)>;

    RunPool(int workers, std::size_t max_waiting, std::chrono::milliseconds budget);
    ~RunPool();
    RunPool(const RunPool&) = delete;
    RunPool& operator=(const RunPool&) = delete;

    // Queues `job`; false (job not taken) when max_waiting runs wait already or after shutdown.
    bool submit(Job job);
    // Stops running jobs (StopReason::shutdown), runs the waiting ones with the stop flag
    // already set (so that each answers at once), joins the threads. Idempotent.
    void shutdown();

    std::size_t waiting() const;
    std::size_t running() const;
    int workers() const { return static_cast<int>(threads_.size()); }

private:
    struct Active {
        std::shared_ptr<RunControl> control;
        std::chrono::steady_clock::time_point deadline;
    };
    void work();
    void watch();

    mutable std::mutex m_;
    std::condition_variable cv_;
    std::condition_variable watch_cv_;
    std::deque<Job> queue_;
    std::vector<Active> active_;
    std::size_t max_waiting_;
    std::chrono::milliseconds budget_;
    bool down_ = false;
    std::vector<std::thread> threads_;
    std::thread watchdog_;
};

}  // namespace salesflow::serve
