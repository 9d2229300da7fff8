#pragma once
// WorkDistribution: where work items run. Without MPI (or outside mpirun): threads of
// this process. Under `mpirun -n N`: rank 0 hands items out dynamically to the other
// ranks (and to its own threads), collects results in item order and alone writes the
// output; the other ranks only compute. Both go through the one ordered executor
// (models/ReplicationRunner.hpp). Results are the same either way: an item's numbers
// depend only on the item. A remote result carries everything a replication reports
// (metrics, time series, lead records, flow events), so run, compare and explain write
// the same file under MPI as on threads.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "models/ReplicationRunner.hpp"

namespace salesflow::app {

using model::ExecutorStats;
using model::OrderedExecutor;

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
// emitted in item order. `exec` is the executor to run them on (so that the caller can
// use its emission lock); `wire(item)` is the number the other ranks know the item by
// (their compute receives it), the item itself when not given. Afterwards the other
// ranks wait for more items until released by stop_workers().
ExecutorStats distribute_items(OrderedExecutor& exec, int threads, const OrderedExecutor::Compute& compute,
                               const std::function<long long(long long)>& wire = {});
// Non-root ranks: compute the items the root sends until it says stop.
void serve_items(const OrderedExecutor::Compute& compute);
// Root: releases the other ranks (after the last distribute_items, or an error).
void stop_workers();

// The bytes of a replication's output, as sent between ranks; and back.
std::vector<char> pack_output(const model::ReplicationOutput& o);
model::ReplicationOutput unpack_output(const std::vector<char>& bytes);

}  // namespace salesflow::app
