#include "app/StopSignal.hpp"

#include <csignal>
#include <unistd.h>

namespace salesflow::app {

namespace {
std::atomic<bool> stop_flag{false};
std::atomic<int> stop_number{0};

extern "C" void on_stop(int sig) {
    if (stop_flag.load()) {
        // Asked twice: the user means it.
        std::signal(sig, SIG_DFL);
        std::raise(sig);
        return;
    }
    stop_number.store(sig);
    stop_flag.store(true);
    const char msg[] = "\nsalesflow: stopping after the work in progress (signal again to abort)\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
}
}  // namespace

const std::atomic<bool>& install_stop_signal() {
    struct sigaction sa {};
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);  // a closed terminal: stop cleanly too
    return stop_flag;
}

int stop_signal_number() { return stop_number.load(); }

}  // namespace salesflow::app
