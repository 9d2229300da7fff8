// The MPI module (see MpiModule.hpp): the only code that calls MPI.
#include "app/MpiModule.hpp"

#include <mpi.h>

namespace salesflow::app {
namespace {

bool init(int* argc, char*** argv, int* rank, int* size) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided);
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Abort(MPI_COMM_WORLD, 1);
        return false;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return true;
}
void finalize() { MPI_Finalize(); }
void send_id(long long id, int dest, int tag) { MPI_Send(&id, 1, MPI_LONG_LONG, dest, tag, MPI_COMM_WORLD); }
void send_empty(int dest, int tag) { MPI_Send(nullptr, 0, MPI_LONG_LONG, dest, tag, MPI_COMM_WORLD); }
void send_bytes(const char* data, int count, int dest, int tag) {
    MPI_Send(data, count, MPI_CHAR, dest, tag, MPI_COMM_WORLD);
}
bool probe(int* source, int* tag, int* count) {
    MPI_Status st;
    int flag = 0;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag) return false;
    MPI_Get_count(&st, MPI_CHAR, count);
    *source = st.MPI_SOURCE;
    *tag = st.MPI_TAG;
    return true;
}
void recv_bytes(char* buf, int count, int source, int tag) {
    MPI_Recv(buf, count, MPI_CHAR, source, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}
int recv_id(long long* id) {
    MPI_Status st;
    MPI_Recv(id, 1, MPI_LONG_LONG, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    return st.MPI_TAG;
}

const MpiApi api{init, finalize, send_id, send_empty, send_bytes, probe, recv_bytes, recv_id};

}  // namespace
}  // namespace salesflow::app

extern "C" __attribute__((visibility("default"))) const salesflow::app::MpiApi* salesflow_mpi_api() {
    return &salesflow::app::api;
}
