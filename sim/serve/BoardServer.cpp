#include "serve/BoardServer.hpp"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>

#include <httplib.h>

#include "serve/WebAssets.hpp"

namespace salesflow::serve {

namespace {

const char* json_type = "application/json; charset=utf-8";

bool is_loopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

struct BoardServer::Impl {
    BoardApi& api;
    httplib::Server http;
    std::string host;
    int port = 0;
    int socket = -1;   // the listening socket, once bound
    explicit Impl(BoardApi& a) : api(a) {}
};

BoardServer::BoardServer(BoardApi& api, int http_threads) : impl_(std::make_unique<Impl>(api)) {
    auto& http = impl_->http;
    Impl* self = impl_.get();
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
    http.set_payload_max_length(api.limits().max_body_bytes);
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

    for (const auto& a : web_assets()) {
        http.Get(std::string(a.path), [a](const httplib::Request&, httplib::Response& res) {
            res.set_content(a.body.data(), a.body.size(), std::string(a.content_type));
        });
    }
    auto reply = [](httplib::Response& res, const ApiResponse& a) {
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

BoardServer::~BoardServer() { stop(); }

int BoardServer::bind(const std::string& host, int port) {
    impl_->host = host;
    errno = 0;
    int bound = port == 0 ? impl_->http.bind_to_any_port(host) : (impl_->http.bind_to_port(host, port) ? port : -1);
    const int err = errno;
    if (bound <= 0) {
        std::string why;
        if (err == EADDRINUSE) why = "the port is in use (another server? choose another --port)";
        else if (err == EACCES) why = "permission denied (ports below 1024 need privileges)";
        else if (err == EADDRNOTAVAIL) why = "the address is not one of this machine's";
        else why = "the address could not be bound" + (err ? " (" + std::string(std::strerror(err)) + ")" : std::string());
        throw BindError("cannot listen on " + host + ":" + std::to_string(port) + ": " + why);
    }
    impl_->port = bound;
    // httplib listens with a backlog of 5: a room of laptops connecting at once would
    // overflow it (dropped connections, retries after a second). Listening again on the
    // bound socket raises it.
    if (impl_->socket >= 0) ::listen(impl_->socket, 256);
    return bound;
}

bool BoardServer::serve() { return impl_->http.listen_after_bind(); }

void BoardServer::stop() {
    if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

}  // namespace salesflow::serve
