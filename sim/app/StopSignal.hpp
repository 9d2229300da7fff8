#pragma once
// StopSignal: SIGINT, SIGTERM and SIGHUP ask a long command to stop cleanly (finish what is
// running, keep every completed item, mark the output incomplete) instead of dying.
// A second signal of the same kind ends the process at once.
#include <atomic>

namespace salesflow::app {

// Installs the handlers (idempotent) and returns the flag they set.
const std::atomic<bool>& install_stop_signal();
// The signal that set the flag (0 if none).
int stop_signal_number();

}  // namespace salesflow::app
