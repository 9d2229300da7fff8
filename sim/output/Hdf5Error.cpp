#include "output/Hdf5Error.hpp"

#include <hdf5.h>

#include <vector>

namespace salesflow::output {
namespace {

herr_t collect(unsigned, const H5E_error2_t* err, void* data) {
    auto* out = static_cast<std::vector<std::string>*>(data);
    out->push_back(std::string(err->func_name ? err->func_name : "?") + ": " + (err->desc ? err->desc : ""));
    return 0;
}

}  // namespace

void Hdf5Error::raise(std::string_view what) {
    // Walking upward starts at the real cause and ends at the public API call: those two
    // say what went wrong and where; the frames in between are library internals.
    std::vector<std::string> frames;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &frames);
    H5Eclear2(H5E_DEFAULT);
    std::string msg = "HDF5: " + std::string(what) + " failed";
    if (!frames.empty()) {
        msg += " (" + frames.front();
        if (frames.size() > 1) msg += "; in " + frames.back();
        msg += ")";
    }
    throw Hdf5Error(msg);
}

void Hdf5Error::quiet_library() {
    // The serial Debian build is thread-safe, and then each thread has its own error
    // stack and its own printing setting: silence the calling thread once.
    thread_local bool quiet = false;
    if (quiet) return;
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
}

}  // namespace salesflow::output
