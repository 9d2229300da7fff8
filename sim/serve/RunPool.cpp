#include "serve/RunPool.hpp"

#include <algorithm>

namespace salesflow::serve {

RunPool::RunPool(int workers, std::size_t max_waiting, std::chrono::milliseconds budget)
    : max_waiting_(max_waiting), budget_(budget) {
    for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([this] { work(); });
    watchdog_ = std::thread([this] { watch(); });
}

RunPool::~RunPool() { shutdown(); }

bool RunPool::submit(Job job) {
    {
        std::lock_guard lock(m_);
        if (down_ || queue_.size() >= max_waiting_) return false;
        queue_.push_back(std::move(job));
    }
    cv_.notify_one();
    return true;
}

void RunPool::work() {
    while (true) {
        Job job;
        auto control = std::make_shared<RunControl>();
        {
            std::unique_lock lock(m_);
            cv_.wait(lock, [&] { return down_ || !queue_.empty(); });
            if (queue_.empty()) return;   // down and nothing left
            job = std::move(queue_.front());
            queue_.pop_front();
            if (down_) control->request_stop(StopReason::shutdown);
            active_.push_back({control, std::chrono::steady_clock::now() + budget_});
        }
        job(*control);
        std::lock_guard lock(m_);
        active_.erase(std::find_if(active_.begin(), active_.end(), [&](const Active& a) { return a.control == control; }));
    }
}

void RunPool::watch() {
    std::unique_lock lock(m_);
    while (!down_) {
        watch_cv_.wait_for(lock, std::chrono::milliseconds(20));
        const auto now = std::chrono::steady_clock::now();
        for (auto& a : active_)
            if (now >= a.deadline) a.control->request_stop(StopReason::deadline);
    }
}

void RunPool::shutdown() {
    {
        std::lock_guard lock(m_);
        if (down_ && threads_.empty()) return;
        down_ = true;
        for (auto& a : active_) a.control->request_stop(StopReason::shutdown);
    }
    cv_.notify_all();
    watch_cv_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
    if (watchdog_.joinable()) watchdog_.join();
}

std::size_t RunPool::waiting() const {
    std::lock_guard lock(m_);
    return queue_.size();
}

std::size_t RunPool::running() const {
    std::lock_guard lock(m_);
    return active_.size();
}

}  // namespace salesflow::serve
