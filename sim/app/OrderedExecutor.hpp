#pragma once
// OrderedExecutor: runs work items [first, last) on a pool of threads, dynamically (each
// thread takes the next item when it is free), and hands the results to `emit` in item
// order, one call at a time. At most `window` items run ahead of the emitted ones, so
// memory stays bounded however long the list. When `stop` is set, no new item starts;
// items already started finish and are emitted, so the emitted items are always a
// prefix of the list.
#include <atomic>
#include <exception>
#include <functional>
#include <vector>

namespace salesflow::app {

using ItemResult = std::vector<double>;

struct ExecutorStats {
    long long emitted = 0;   // items emitted: first .. first + emitted - 1
    bool stopped = false;
};

// Hands out items in order and puts results back in order; shared by local worker
// threads and by remote drivers (MPI) that compute elsewhere.
class Dispatcher {
public:
    virtual ~Dispatcher() = default;
    // The next item to compute, or -1 when there is none (done, stopped or failed).
    virtual long long take() = 0;
    virtual void complete(long long item, ItemResult&& result) = 0;
    virtual void fail(std::exception_ptr e) = 0;
};

// `remote`, when given, runs on a thread of its own beside the `threads` local workers
// and takes items from the same dispatcher.
ExecutorStats run_ordered(long long first, long long last, int threads,
                          const std::function<ItemResult(long long item)>& compute,
                          const std::function<void(long long item, ItemResult&& result)>& emit,
                          const std::atomic<bool>& stop, long long window = 0,
                          const std::function<void(Dispatcher&)>& remote = {});

}  // namespace salesflow::app
