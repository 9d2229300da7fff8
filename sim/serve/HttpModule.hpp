#pragma once
// HttpModule: the seam between `salesflow serve` (the executable) and its HTTP server,
// which lives in a module loaded only when the board starts (libsalesflow_http.so, next
// to the executable). cpp-httplib's shared library pulls OpenSSL, brotli and zlib, whose
// loading and initialisation cost every salesflow process about 10 M instructions (a
// quarter of a one-week run) though only `serve` uses them.
//
// Both sides talk through abstract classes only (virtual calls need no symbol of the
// other side), and errors cross as values, not exceptions.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace salesflow::serve {

struct HttpReply {
    int status = 200;
    std::string body;  // JSON
};

struct HttpAsset {
    std::string_view path;
    std::string_view content_type;
    std::string_view body;
};

// What the board answers; implemented in the executable (BoardServer.cpp).
class HttpHandlers {
public:
    virtual ~HttpHandlers() = default;
    virtual HttpReply scenarios() = 0;
    virtual HttpReply status() = 0;
    virtual HttpReply levers(const std::string& body) = 0;
    virtual HttpReply run(const std::string& body) = 0;
    virtual std::size_t max_body_bytes() const = 0;
    virtual const std::vector<HttpAsset>& assets() const = 0;
};

// The server; implemented in the module (HttpServer.cpp).
class HttpServer {
public:
    virtual ~HttpServer() = default;
    // Binds host:port (port 0: any free port); returns the port, or -1 with `error` set
    // to errno.
    virtual int bind(const std::string& host, int port, int& error) = 0;
    virtual bool serve() = 0;
    virtual void stop() = 0;
};

// The module's one exported function.
extern "C" using CreateHttpServer = HttpServer*(HttpHandlers& handlers, int http_threads);
inline constexpr const char* create_http_server_symbol = "salesflow_create_http_server";
inline constexpr const char* http_module_file = "libsalesflow_http.so";

}  // namespace salesflow::serve
