// The HTTP server of `salesflow serve` (cpp-httplib), built as a module of its own
// (libsalesflow_http.so, see HttpModule.hpp): the embedded page at /, the JSON API under
// /api/, bounded request sizes and keep-alive, security headers, and the Host check of a
// loopback address. It knows the board only through HttpHandlers.
#include <sys/socket.h>

#include <cerrno>
#include <memory>

#include <httplib.h>

#include "serve/HttpModule.hpp"

namespace salesflow::serve {

namespace {

const char* json_type = "application/json; charset=utf-8";

bool is_loopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

class Server final : public HttpServer {
public:
    Server(HttpHandlers& handlers, int http_threads);
    ~Server() override { stop(); }
    int bind(const std::string& host, int port, int& error) override;
    bool serve() override { return http.listen_after_bind(); }
    void stop() override {
        if (http.is_running()) http.stop();
    }

    HttpHandlers& api;
    httplib::Server http;
    std::string host;
    int port = 0;
    int socket = -1;   // the listening socket, once bound
};

Server::Server(HttpHandlers& handlers, int http_threads) : api(handlers) {
    Server* self = this;
    http.new_task_queue = [http_threads] { return new httplib::ThreadPool(static_cast<std::size_t>(http_threads)); };
    // SO_REUSEADDR only (a restart finds its port free at once), never httplib's default
    // SO_REUSEPORT, which would let a second server share a port in use without an error.
    http.set_socket_options([self](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        self->socket = sock;
    });
    http.set_keep_alive_max_count(100);
    http.set_keep_alive_timeout(2);
    http.set_read_timeout(10, 0);
    http.set_write_timeout(30, 0);
    http.set_payload_max_length(api.max_body_bytes());
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"Content-Security-Policy",
                               "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'"},
                              {"Cache-Control", "no-store"}});

    http.set_pre_routing_handler([self](const httplib::Request& req, httplib::Response& res) {
        if (!is_loopback(self->host)) return httplib::Server::HandlerResponse::Unhandled;
        const std::string h = req.get_header_value("Host");
        const std::string p = ":" + std::to_string(self->port);
        if (h == "127.0.0.1" + p || h == "localhost" + p || h == "[::1]" + p || h == self->host + p)
            return httplib::Server::HandlerResponse::Unhandled;
        res.status = 421;
        res.set_content("{\"error\":\"this server answers only requests addressed to " + self->host + p +
                            " (Host header)\",\"problems\":[]}",
                        json_type);
        return httplib::Server::HandlerResponse::Handled;
    });

    for (const auto& a : api.assets()) {
        http.Get(std::string(a.path), [a](const httplib::Request&, httplib::Response& res) {
            res.set_content(a.body.data(), a.body.size(), std::string(a.content_type));
        });
    }
    auto reply = [](httplib::Response& res, const HttpReply& a) {
        res.status = a.status;
        res.set_content(a.body, json_type);
    };
    http.Get("/api/scenarios", [self, reply](const httplib::Request&, httplib::Response& res) {
        reply(res, self->api.scenarios());
    });
    http.Get("/api/status", [self, reply](const httplib::Request&, httplib::Response& res) {
        reply(res, self->api.status());
    });
    http.Post("/api/levers", [self, reply](const httplib::Request& req, httplib::Response& res) {
        reply(res, self->api.levers(req.body));
    });
    http.Post("/api/run", [self, reply](const httplib::Request& req, httplib::Response& res) {
        reply(res, self->api.run(req.body));
    });
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        std::string msg = res.status == 404 ? "no such page: " + req.path.substr(0, 200)
                        : res.status == 413 ? std::string("the request is too large")
                                            : "HTTP status " + std::to_string(res.status);
        for (auto& c : msg)
            if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '?';
        res.set_content("{\"error\":\"" + msg + "\",\"problems\":[]}", json_type);
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string msg = "internal error";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            msg += std::string(": ") + e.what();
        } catch (...) {
        }
        for (auto& c : msg)
            if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '?';
        res.status = 500;
        res.set_content("{\"error\":\"" + msg + "\",\"problems\":[]}", json_type);
    });
}

int Server::bind(const std::string& h, int p, int& error) {
    host = h;
    errno = 0;
    const int bound = p == 0 ? http.bind_to_any_port(h) : (http.bind_to_port(h, p) ? p : -1);
    error = errno;
    if (bound <= 0) return -1;
    port = bound;
    // httplib listens with a backlog of 5: a room of laptops connecting at once would
    // overflow it (dropped connections, retries after a second). Listening again on the
    // bound socket raises it.
    if (socket >= 0) ::listen(socket, 256);
    return bound;
}

}  // namespace salesflow::serve

extern "C" __attribute__((visibility("default"))) salesflow::serve::HttpServer* salesflow_create_http_server(
    salesflow::serve::HttpHandlers& handlers, int http_threads) {
    try {
        return new salesflow::serve::Server(handlers, http_threads);
    } catch (...) {
        return nullptr;
    }
}
