// `salesflow serve [FOLDER] [--port 8080] [--host 127.0.0.1] [--workers N]`: the live
// workshop board (sim/serve, docs/serve.md). Parses its own arguments (CommandLine keeps
// them raw), blocks SIGINT and SIGTERM in every thread and waits for them in one, so that
// either stops the server cleanly: the requests in progress end, every run is stopped,
// exit 0. A port in use or an address that cannot be bound: exit 1; wrong arguments: exit 2.
#include <csignal>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <iostream>
#include <thread>

#include "app/Commands.hpp"
#include "input/InputError.hpp"
#include "serve/BoardApi.hpp"
#include "serve/BoardServer.hpp"

namespace salesflow::app {

namespace {

const char* serve_help =
    "salesflow serve [FOLDER] [--port 8080] [--host 127.0.0.1] [--workers N]\n"
    "\n"
    "Serves the live workshop board at http://HOST:PORT/: the scenarios of FOLDER (default\n"
    "scenarios/workshop), its presets (FOLDER/board/presets.yaml), one replication per run with\n"
    "every lead's steps, levers that re-run on the same random numbers, two boards side by side.\n"
    "Only files inside FOLDER can be named. SIGINT/SIGTERM (Ctrl-C) stop it (exit 0).\n"
    "\n"
    "options:\n"
    "  --port N      TCP port, 0 to 65535 (0: any free port; the URL is printed); default 8080\n"
    "  --host H      address to listen on; default 127.0.0.1 (this machine only). Another\n"
    "                address makes the board reachable from the network, without authentication\n"
    "  --workers N   simulations run at once (default: all cores); more requests wait\n"
    "  -h, --help    this help\n"
    "\n"
    "Exit status: 0 stopped by a signal; 2 wrong arguments, folder or presets; 1 the address\n"
    "cannot be bound (a port in use) or anything else.\n";

int parse_int(const std::string& option, const std::string& text, int lo, int hi) {
    int v = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc() || p != end || v < lo || v > hi)
        throw UsageError(option + ": must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                         ", got '" + text + "'");
    return v;
}

}  // namespace

int serve_command(const CommandLine& cl) {
    std::string folder = "scenarios/workshop", host = "127.0.0.1";
    int port = 8080;
    int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    bool folder_given = false;
    const auto& a = cl.args;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string& s = a[i];
        auto value = [&](const std::string& opt) -> std::string {
            if (s.size() > opt.size() && s.compare(0, opt.size() + 1, opt + "=") == 0) return s.substr(opt.size() + 1);
            if (i + 1 >= a.size()) throw UsageError(opt + ": needs a value (see salesflow serve --help)");
            return a[++i];
        };
        auto is = [&](const std::string& opt) { return s == opt || s.rfind(opt + "=", 0) == 0; };
        if (s == "-h" || s == "--help") {
            std::cout << serve_help;
            return 0;
        } else if (is("--port")) {
            port = parse_int("--port", value("--port"), 0, 65535);
        } else if (is("--host")) {
            host = value("--host");
            if (host.empty()) throw UsageError("--host: must name an address, got ''");
        } else if (is("--workers")) {
            workers = parse_int("--workers", value("--workers"), 1, 256);
        } else if (!s.empty() && s[0] == '-') {
            throw UsageError("serve: unknown option '" + s + "' (see salesflow serve --help)");
        } else if (folder_given) {
            throw UsageError("serve: one FOLDER only, got '" + folder + "' and '" + s + "'");
        } else {
            folder = s;
            folder_given = true;
        }
    }

    // Every thread started from here on inherits the blocked signals; one thread waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);   // a client that goes away must not end the server

    std::unique_ptr<serve::BoardApi> api;
    try {
        api = std::make_unique<serve::BoardApi>(serve::ScenarioFolder(folder), serve::ServeLimits{}, workers);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("serve: ") + e.what() +
                         (folder_given ? "" : " (run from the repository root, or name a FOLDER)"));
    } catch (const input::InputError& e) {
        std::cerr << e.what() << "\nsalesflow serve: the presets file has problems (listed above)\n";
        return 2;
    }
    serve::BoardServer server(*api);
    try {
        port = server.bind(host, port);
    } catch (const serve::BindError& e) {
        std::cerr << "salesflow serve: " << e.what() << "\n";
        return 1;
    }
    const bool ipv6 = host.find(':') != std::string::npos;
    std::cout << "salesflow serve: the board is at http://" << (ipv6 ? "[" + host + "]" : host) << ":" << port
              << "/ (scenarios of " << folder << ", " << api->presets().size()
              << " presets; Ctrl-C stops it)" << std::endl;
    if (host != "127.0.0.1" && host != "localhost" && host != "::1")
        std::cerr << "salesflow serve: warning: listening on " << host
                  << ": anyone who can reach this address can use the board (there is no authentication)\n";

    std::atomic<bool> served{false};
    std::thread watcher([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        if (sig == 0) return;
        std::cerr << "salesflow serve: stopping (signal " << sig << ")\n";
        api->shutdown();   // every run stops now
        while (!served.load()) {   // the server may not have started listening yet
            server.stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const bool ok = server.serve();
    served.store(true);
    if (!ok) {
        // Serving failed on its own: wake the watcher so that it can end.
        pthread_kill(watcher.native_handle(), SIGTERM);
    }
    watcher.join();
    api->shutdown();
    return ok ? 0 : 1;
}

}  // namespace salesflow::app
