#pragma once
// WorkDistribution: where work items run. Without MPI (or outside mpirun): threads of
// this process. Under `mpirun -n N`: rank 0 hands items out dynamically to the other
// ranks (and to its own threads), collects results in item order and alone writes the
// output; the other ranks only compute. Results are the same either way: an item's
// numbers depend only on the item.
#include <atomic>
#include <functional>
#include <string>

#include "app/OrderedExecutor.hpp"

namespace salesflow::app {

// Starts MPI when the process was launched by mpirun (a no-op otherwise); finishes it
// when destroyed.
class MpiSession {
public:
    MpiSession(int& argc, char**& argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
};

bool is_root_rank();
int world_size();
std::string describe_parallelism(int threads);

// Root: computes items [first, last) over local threads and the other ranks; results are
// emitted in item order. Afterwards the other ranks are released.
ExecutorStats distribute_items(long long first, long long last, int threads,
                               const std::function<ItemResult(long long)>& compute,
                               const std::function<void(long long, ItemResult&&)>& emit,
                               const std::atomic<bool>& stop);
// Non-root ranks: compute the items the root sends until it says stop.
void serve_items(const std::function<ItemResult(long long)>& compute);
// Root: releases the other ranks without giving them work (e.g. after an input error).
void stop_workers();

}  // namespace salesflow::app
