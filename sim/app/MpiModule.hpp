#pragma once
// MpiModule: the few MPI calls salesflow makes, behind a table of plain functions filled
// by a module of their own (libsalesflow_mpi.so, next to the executable), which is loaded
// only when the process was started by an MPI launcher. Linking libmpi into salesflow
// itself made every process load Open MPI and its dependencies (hwloc, libevent, udev):
// about 2.4 M instructions at each start, a tenth of a one-week run.
namespace salesflow::app {

struct MpiApi {
    // MPI_Init_thread(SERIALIZED), then the rank and size of MPI_COMM_WORLD. Returns false
    // when the library does not give serialized threads (it has called MPI_Abort then).
    bool (*init)(int* argc, char*** argv, int* rank, int* size);
    void (*finalize)();
    // Point-to-point messages on MPI_COMM_WORLD: one long long, or bytes.
    void (*send_id)(long long id, int dest, int tag);
    void (*send_empty)(int dest, int tag);  // no data (a stop)
    void (*send_bytes)(const char* data, int count, int dest, int tag);
    // A message from any rank is waiting: its source, tag and size in bytes.
    bool (*probe)(int* source, int* tag, int* count);
    void (*recv_bytes)(char* buf, int count, int source, int tag);
    // Blocks for one long long from rank 0, any tag; returns the tag.
    int (*recv_id)(long long* id);
};

using GetMpiApi = const MpiApi*();
inline constexpr const char* get_mpi_api_symbol = "salesflow_mpi_api";
inline constexpr const char* mpi_module_file = "libsalesflow_mpi.so";

}  // namespace salesflow::app
