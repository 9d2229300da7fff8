#include "app/WorkDistribution.hpp"

#include <cstdlib>
#include <stdexcept>
#include <vector>

#ifdef SALESFLOW_HAVE_MPI
#include <mpi.h>
#endif

namespace salesflow::app {

namespace {
bool mpi_active = false;
int rank = 0;
int size = 1;
bool workers_released = false;

#ifdef SALESFLOW_HAVE_MPI
enum Tag : int { tag_item = 1, tag_stop = 2, tag_result = 3, tag_error = 4 };
#endif
}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
#ifdef SALESFLOW_HAVE_MPI
    // Only under a launcher: a plain `salesflow` never pays for (or depends on) MPI.
    if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK")) {
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
        if (provided < MPI_THREAD_SERIALIZED) {
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        mpi_active = size > 1;
        if (!mpi_active) {
            MPI_Finalize();
        }
    }
#else
    (void)argc;
    (void)argv;
#endif
}

MpiSession::~MpiSession() {
#ifdef SALESFLOW_HAVE_MPI
    if (mpi_active) {
        if (rank == 0) stop_workers();
        MPI_Finalize();
    }
#endif
}

bool is_root_rank() { return rank == 0; }
int world_size() { return size; }

std::string describe_parallelism(int threads) {
    if (mpi_active) return std::to_string(size) + " MPI ranks (rank 0 also computes on " + std::to_string(threads) + " thread(s))";
    return std::to_string(threads) + " thread(s)";
}

void stop_workers() {
#ifdef SALESFLOW_HAVE_MPI
    if (!mpi_active || rank != 0 || workers_released) return;
    for (int r = 1; r < size; ++r) MPI_Send(nullptr, 0, MPI_LONG_LONG, r, tag_stop, MPI_COMM_WORLD);
    workers_released = true;
#endif
}

ExecutorStats distribute_items(long long first, long long last, int threads,
                               const std::function<ItemResult(long long)>& compute,
                               const std::function<void(long long, ItemResult&&)>& emit,
                               const std::atomic<bool>& stop) {
    if (!mpi_active) return run_ordered(first, last, threads, compute, emit, stop);
#ifdef SALESFLOW_HAVE_MPI
    // One driver thread speaks MPI for the root: it keeps every other rank busy with one
    // item at a time and hands results back to the shared, ordered dispatcher.
    auto remote = [&](Dispatcher& d) {
        std::vector<long long> busy(static_cast<std::size_t>(size), -1);
        int in_flight = 0;
        bool more = true;
        std::vector<double> buf;
        for (;;) {
            for (int r = 1; r < size && more; ++r) {
                if (busy[static_cast<std::size_t>(r)] >= 0) continue;
                const long long item = d.take();
                if (item < 0) {
                    more = false;
                    break;
                }
                MPI_Send(&item, 1, MPI_LONG_LONG, r, tag_item, MPI_COMM_WORLD);
                busy[static_cast<std::size_t>(r)] = item;
                ++in_flight;
            }
            if (in_flight == 0) break;
            MPI_Status st;
            MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
            int count = 0;
            if (st.MPI_TAG == tag_error) {
                MPI_Get_count(&st, MPI_CHAR, &count);
                std::string msg(static_cast<std::size_t>(count), '\0');
                MPI_Recv(msg.data(), count, MPI_CHAR, st.MPI_SOURCE, tag_error, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                throw std::runtime_error("rank " + std::to_string(st.MPI_SOURCE) + ": " + msg);
            }
            MPI_Get_count(&st, MPI_DOUBLE, &count);
            buf.resize(static_cast<std::size_t>(count));
            MPI_Recv(buf.data(), count, MPI_DOUBLE, st.MPI_SOURCE, tag_result, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            const long long item = busy[static_cast<std::size_t>(st.MPI_SOURCE)];
            busy[static_cast<std::size_t>(st.MPI_SOURCE)] = -1;
            --in_flight;
            d.complete(item, ItemResult(buf.begin(), buf.end()));
        }
    };
    auto stats = run_ordered(first, last, threads, compute, emit, stop, 0, remote);
    return stats;
#else
    return run_ordered(first, last, threads, compute, emit, stop);
#endif
}

void serve_items(const std::function<ItemResult(long long)>& compute) {
#ifdef SALESFLOW_HAVE_MPI
    if (!mpi_active || rank == 0) return;
    for (;;) {
        MPI_Status st;
        long long item = 0;
        MPI_Recv(&item, 1, MPI_LONG_LONG, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == tag_stop) return;
        try {
            const ItemResult r = compute(item);
            MPI_Send(r.data(), static_cast<int>(r.size()), MPI_DOUBLE, 0, tag_result, MPI_COMM_WORLD);
        } catch (const std::exception& e) {
            const std::string msg = e.what();
            MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, tag_error, MPI_COMM_WORLD);
        }
    }
#else
    (void)compute;
#endif
}

}  // namespace salesflow::app
