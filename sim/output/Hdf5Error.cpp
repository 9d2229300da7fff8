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

// HDF5 does not close files at exit when we ask it not to (see quiet_library); this
// runs before main, ahead of any HDF5 call that would register its exit handler.
const bool no_atexit = [] {
    H5dont_atexit();
    return true;
}();

}  // namespace

void Hdf5Error::raise(std::string_view what) {
    // Walking upward starts at the real cause and ends at the public API call: those two
    // say what went wrong and where; the frames in between are library internals.
    std::vector<std::string> frames;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &frames);
    H5Eclear2(H5E_DEFAULT);
    std::string msg = "HDF5: " + std::string(what) + " failed";
    // A failed write (disk full, file-size limit) carries the system's reason: say it
    // plainly rather than HDF5's multi-line low-level report.
    for (const auto& f : frames) {
        const auto at = f.find("error message = '");
        if (at == std::string::npos) continue;
        const auto from = at + 17;
        const auto to = f.find('\'', from);
        if (to != std::string::npos) throw Hdf5Error(msg + ": " + f.substr(from, to - from) + " (writing the results file)");
    }
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
    // A file whose close failed (a full disk) stays registered in HDF5; closing it again
    // in HDF5's exit handler crashes (SIGSEGV in H5F__close_cb, HDF5 1.10). Every file
    // salesflow commits is closed explicitly and a discarded one is removed, so the exit
    // handler is not needed.
    (void)no_atexit;
    H5dont_atexit();
    H5open();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
}

}  // namespace salesflow::output
