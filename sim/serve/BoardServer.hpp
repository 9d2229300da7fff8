#pragma once
// BoardServer: the HTTP side of `salesflow serve`: the embedded page at /, the JSON API of
// BoardApi under /api/, bounded request sizes and keep-alive, security headers (the page
// may load nothing from elsewhere), and, when bound to a loopback address, only requests
// whose Host names that address (no DNS rebinding). The server itself (cpp-httplib) is
// in the module libsalesflow_http.so, loaded on first use (HttpModule.hpp, HttpServer.cpp);
// a missing module is a std::runtime_error naming it.
#include <memory>
#include <stdexcept>
#include <string>

#include "serve/BoardApi.hpp"

namespace salesflow::serve {

// The address cannot be bound (in use, not on this machine, no permission).
class BindError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class BoardServer {
public:
    explicit BoardServer(BoardApi& api, int http_threads = 32);
    ~BoardServer();

    // Binds host:port (port 0: any free port) and returns the port. Throws BindError.
    int bind(const std::string& host, int port);
    // Serves until stop(); returns false when serving failed.
    bool serve();
    // From any thread (a signal watcher): ends serve() after the requests in progress.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace salesflow::serve
