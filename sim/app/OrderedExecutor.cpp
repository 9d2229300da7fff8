#include "app/OrderedExecutor.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace salesflow::app {

namespace {

class OrderedDispatcher final : public Dispatcher {
public:
    OrderedDispatcher(long long first, long long last, long long window,
                      const std::function<void(long long, ItemResult&&)>& emit, const std::atomic<bool>& stop)
        : next_(first), emitted_(first), last_(last), window_(window), emit_(emit), stop_(stop) {}

    long long take() override {
        std::unique_lock<std::mutex> lock(mu_);
        room_.wait(lock, [&] { return failure_ || stop_.load() || next_ >= last_ || next_ - emitted_ < window_; });
        if (failure_ || stop_.load() || next_ >= last_) return -1;
        return next_++;
    }

    void complete(long long item, ItemResult&& r) override {
        std::lock_guard<std::mutex> lock(mu_);
        ready_.emplace(item, std::move(r));
        // Emission happens under the lock: one call at a time, in item order.
        while (!failure_ && !ready_.empty() && ready_.begin()->first == emitted_) {
            auto node = ready_.extract(ready_.begin());
            try {
                emit_(emitted_, std::move(node.mapped()));
            } catch (...) {
                failure_ = std::current_exception();
                break;
            }
            ++emitted_;
        }
        room_.notify_all();
    }

    void fail(std::exception_ptr e) override {
        std::lock_guard<std::mutex> lock(mu_);
        if (!failure_) failure_ = e;
        room_.notify_all();
    }

    long long emitted() const { return emitted_; }
    std::exception_ptr failure() const { return failure_; }

private:
    std::mutex mu_;
    std::condition_variable room_;
    long long next_;
    long long emitted_;
    long long last_;
    long long window_;
    std::map<long long, ItemResult> ready_;
    std::exception_ptr failure_;
    const std::function<void(long long, ItemResult&&)>& emit_;
    const std::atomic<bool>& stop_;
};

}  // namespace

ExecutorStats run_ordered(long long first, long long last, int threads,
                          const std::function<ItemResult(long long)>& compute,
                          const std::function<void(long long, ItemResult&&)>& emit, const std::atomic<bool>& stop,
                          long long window, const std::function<void(Dispatcher&)>& remote) {
    if (window <= 0) window = 64LL * (std::max(1, threads) + 8);
    OrderedDispatcher d(first, last, window, emit, stop);
    auto local = [&]() {
        for (long long item; (item = d.take()) >= 0;) {
            try {
                d.complete(item, compute(item));
            } catch (...) {
                d.fail(std::current_exception());
                return;
            }
        }
    };
    std::vector<std::thread> pool;
    if (remote) pool.emplace_back([&] {
        try {
            remote(d);
        } catch (...) {
            d.fail(std::current_exception());
        }
    });
    const int n = std::max(remote ? 0 : 1, threads);
    for (int t = 1; t < n; ++t) pool.emplace_back(local);
    if (n >= 1) local();
    for (auto& t : pool) t.join();
    if (d.failure()) std::rethrow_exception(d.failure());
    return ExecutorStats{d.emitted() - first, d.emitted() < last};
}

}  // namespace salesflow::app
