#include "app/WorkDistribution.hpp"

#include <chrono>
#include <cstring>
#include <limits>
#include <type_traits>
#include <cstdlib>
#include <deque>
#include <thread>
#include <stdexcept>
#include <vector>

#ifdef SALESFLOW_HAVE_MPI
#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <system_error>

#include "app/MpiModule.hpp"
#endif

namespace salesflow::app {

namespace {
bool mpi_active = false;
int rank = 0;
int size = 1;
bool workers_released = false;

#ifdef SALESFLOW_HAVE_MPI
enum Tag : int { tag_item = 1, tag_stop = 2, tag_result = 3, tag_error = 4 };
const MpiApi* mpi = nullptr;  // the MPI module, loaded under a launcher

// libsalesflow_mpi.so next to the running executable, else where this build put it.
const MpiApi* load_mpi_module() {
    std::vector<std::string> candidates;
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back((exe.parent_path() / mpi_module_file).string());
#ifdef SALESFLOW_MPI_MODULE
    candidates.push_back(SALESFLOW_MPI_MODULE);
#endif
    std::string why = "not found";
    for (const auto& path : candidates) {
        if (::access(path.c_str(), R_OK) != 0) continue;
        // RTLD_GLOBAL: Open MPI opens its own components later and they need its symbols.
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
        if (!handle) {
            const char* e = ::dlerror();
            why = e ? e : "dlopen failed";
            continue;
        }
        if (void* f = ::dlsym(handle, get_mpi_api_symbol)) return reinterpret_cast<GetMpiApi*>(f)();
        why = path;
        why += " has no ";
        why += get_mpi_api_symbol;
    }
    std::cerr << "salesflow: started by an MPI launcher, but cannot load " << mpi_module_file << ": " << why << "\n";
    std::exit(1);
}
#endif
}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
#ifdef SALESFLOW_HAVE_MPI
    // Only under a launcher: a plain `salesflow` never pays for (or depends on) MPI.
    if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK")) {
        // A worker rank waits for its next item only briefly: spinning answers faster than
        // yielding (measured: 1.6x vs 1.2x on 2 ranks), unless the user chose otherwise.
        setenv("OMPI_MCA_mpi_yield_when_idle", "0", 0);
        mpi = load_mpi_module();
        if (!mpi->init(&argc, &argv, &rank, &size)) std::exit(1);
        mpi_active = size > 1;
        if (!mpi_active) {
            mpi->finalize();
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
        mpi->finalize();
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
    for (int r = 1; r < size; ++r) mpi->send_empty(r, tag_stop);
    workers_released = true;
#endif
}

namespace {

template <class T>
void put(std::vector<char>& b, const T& v) {
    const char* p = reinterpret_cast<const char*>(&v);
    b.insert(b.end(), p, p + sizeof v);
}

class Reader {
public:
    explicit Reader(const std::vector<char>& b) : b_(b) {}
    template <class T>
    T get() {
        if (at_ + sizeof(T) > b_.size()) throw std::runtime_error("a truncated result came from another rank");
        T v;
        std::memcpy(&v, b_.data() + at_, sizeof v);
        at_ += sizeof v;
        return v;
    }
    void bytes(void* to, std::size_t n) {
        if (n == 0) return;
        if (n > b_.size() - at_) throw std::runtime_error("a truncated result came from another rank");
        std::memcpy(to, b_.data() + at_, n);
        at_ += n;
    }

private:
    const std::vector<char>& b_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<char> pack_output(const model::ReplicationOutput& o) {
    std::vector<char> b;
    b.reserve(32 + 8 * (o.metrics.size() + o.series.data.size()) + sizeof(model::LeadRecord) * o.leads.size());
    put<std::uint64_t>(b, o.events);
    put<std::uint64_t>(b, o.metrics.size());
    for (double v : o.metrics) put(b, v);
    put<std::uint64_t>(b, o.series.columns.size());
    for (const auto& c : o.series.columns) {
        put<std::uint64_t>(b, c.size());
        b.insert(b.end(), c.begin(), c.end());
    }
    put<std::uint64_t>(b, o.series.data.size());
    for (double v : o.series.data) put(b, v);
    put<std::uint64_t>(b, o.leads.size());
    static_assert(std::is_trivially_copyable_v<model::LeadRecord>);
    if (!o.leads.empty()) {  // (data() of an empty vector may be null)
        const char* p = reinterpret_cast<const char*>(o.leads.data());
        b.insert(b.end(), p, p + sizeof(model::LeadRecord) * o.leads.size());
    }
    put<std::uint64_t>(b, o.flow_events.size());  // explain's base replications
    static_assert(std::is_trivially_copyable_v<model::FlowEvent>);
    if (!o.flow_events.empty()) {
        const char* p = reinterpret_cast<const char*>(o.flow_events.data());
        b.insert(b.end(), p, p + sizeof(model::FlowEvent) * o.flow_events.size());
    }
    return b;
}

model::ReplicationOutput unpack_output(const std::vector<char>& bytes) {
    Reader r(bytes);
    model::ReplicationOutput o;
    o.events = r.get<std::uint64_t>();
    const auto limit = bytes.size();  // no count can exceed the bytes that carry it
    auto count = [&](std::size_t each) {
        const auto n = r.get<std::uint64_t>();
        if (n > limit / std::max<std::size_t>(each, 1)) throw std::runtime_error("a malformed result came from another rank");
        return static_cast<std::size_t>(n);
    };
    o.metrics.resize(count(8));
    for (double& v : o.metrics) v = r.get<double>();
    o.series.columns.resize(count(8));
    for (auto& c : o.series.columns) {
        c.resize(count(1));
        r.bytes(c.data(), c.size());
    }
    o.series.data.resize(count(8));
    for (double& v : o.series.data) v = r.get<double>();
    o.leads.resize(count(sizeof(model::LeadRecord)));
    r.bytes(o.leads.data(), sizeof(model::LeadRecord) * o.leads.size());
    o.flow_events.resize(count(sizeof(model::FlowEvent)));
    r.bytes(o.flow_events.data(), sizeof(model::FlowEvent) * o.flow_events.size());
    return o;
}

ExecutorStats distribute_items(OrderedExecutor& exec, int threads, const OrderedExecutor::Compute& compute,
                               const std::function<long long(long long)>& wire) {
    if (!mpi_active) return exec.run(threads, compute);
#ifdef SALESFLOW_HAVE_MPI
    // One driver thread speaks MPI for the root: it keeps every other rank busy and hands
    // results back to the shared, ordered executor.
    auto remote = [&](OrderedExecutor& d) {
        // Two items in flight per rank: a rank finds its next item waiting when it sends a
        // result, so the round trip to the root is hidden behind computing.
        constexpr std::size_t depth = 2;
        std::vector<std::deque<long long>> busy(static_cast<std::size_t>(size));
        int in_flight = 0;
        bool more = true;
        std::vector<char> buf;
        for (;;) {
            for (int r = 1; r < size && more; ++r) {
                auto& q = busy[static_cast<std::size_t>(r)];
                while (more && q.size() < depth) {
                    const long long item = d.take();
                    if (item < 0) {
                        more = false;
                        break;
                    }
                    const long long id = wire ? wire(item) : item;
                    mpi->send_id(id, r, tag_item);
                    q.push_back(item);
                    ++in_flight;
                }
            }
            if (in_flight == 0) break;
            // Poll with short sleeps instead of MPI_Probe, which spins: the root's own
            // compute threads need the core more than this driver does.
            int source = 0, tag = 0, count = 0;
            while (!mpi->probe(&source, &tag, &count)) std::this_thread::sleep_for(std::chrono::microseconds(50));
            buf.resize(static_cast<std::size_t>(count));
            mpi->recv_bytes(buf.data(), count, source, tag);
            if (tag == tag_error)
                throw std::runtime_error("rank " + std::to_string(source) + ": " + std::string(buf.begin(), buf.end()));
            // A rank answers its items in the order it got them.
            auto& q = busy[static_cast<std::size_t>(source)];
            const long long item = q.front();
            q.pop_front();
            --in_flight;
            d.complete(item, unpack_output(buf));
        }
    };
    return exec.run(threads, compute, remote);
#else
    (void)wire;
    return exec.run(threads, compute);
#endif
}

void serve_items(const OrderedExecutor::Compute& compute) {
#ifdef SALESFLOW_HAVE_MPI
    if (!mpi_active || rank == 0) return;
    for (;;) {
        long long item = 0;
        if (mpi->recv_id(&item) == tag_stop) return;
        try {
            const auto r = pack_output(compute(item));
            if (r.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
                throw std::runtime_error("a replication's output (" + std::to_string(r.size() >> 20) +
                                         " MiB with its lead log) is too large for one MPI message: run it on threads");
            mpi->send_bytes(r.data(), static_cast<int>(r.size()), 0, tag_result);
        } catch (const std::exception& e) {
            const std::string msg = e.what();
            mpi->send_bytes(msg.data(), static_cast<int>(msg.size()), 0, tag_error);
        }
    }
#else
    (void)compute;
#endif
}

}  // namespace salesflow::app
