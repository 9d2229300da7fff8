#include "serve/BoardServer.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <system_error>

#include "serve/HttpModule.hpp"
#include "serve/WebAssets.hpp"

namespace salesflow::serve {

namespace {

// The board's answers, as the HTTP module sees them.
class Handlers final : public HttpHandlers {
public:
    explicit Handlers(BoardApi& api) : api_(api) {
        for (const auto& a : web_assets()) assets_.push_back(HttpAsset{a.path, a.content_type, a.body});
    }
    HttpReply scenarios() override { return reply(api_.scenarios()); }
    HttpReply status() override { return reply(api_.status()); }
    HttpReply levers(const std::string& body) override { return reply(api_.levers(body)); }
    HttpReply run(const std::string& body) override { return reply(api_.run(body)); }
    std::size_t max_body_bytes() const override { return api_.limits().max_body_bytes; }
    const std::vector<HttpAsset>& assets() const override { return assets_; }

private:
    static HttpReply reply(ApiResponse a) { return HttpReply{a.status, std::move(a.body)}; }
    BoardApi& api_;
    std::vector<HttpAsset> assets_;
};

// The module next to the running executable (an installed or built salesflow), else
// where this build put it (test programs run from other folders).
CreateHttpServer* load_module() {
    static CreateHttpServer* create = [] {
        std::vector<std::string> candidates;
        std::error_code ec;
        const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec) candidates.push_back((exe.parent_path() / http_module_file).string());
#ifdef SALESFLOW_HTTP_MODULE
        candidates.push_back(SALESFLOW_HTTP_MODULE);
#endif
        std::string why = "not found";
        for (const auto& path : candidates) {
            if (::access(path.c_str(), R_OK) != 0) continue;
            void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (!handle) {
                const char* e = ::dlerror();
                why = e ? e : "dlopen failed";
                continue;
            }
            if (void* f = ::dlsym(handle, create_http_server_symbol)) return reinterpret_cast<CreateHttpServer*>(f);
            why = path + " has no " + create_http_server_symbol;
        }
        throw std::runtime_error(std::string("cannot load the HTTP server module ") + http_module_file + ": " + why);
    }();
    return create;
}

}  // namespace

struct BoardServer::Impl {
    Handlers handlers;
    std::unique_ptr<HttpServer> http;
    explicit Impl(BoardApi& api) : handlers(api) {}
};

BoardServer::BoardServer(BoardApi& api, int http_threads) : impl_(std::make_unique<Impl>(api)) {
    impl_->http.reset(load_module()(impl_->handlers, http_threads));
    if (!impl_->http) throw std::runtime_error("the HTTP server could not be created");
}

BoardServer::~BoardServer() { stop(); }

int BoardServer::bind(const std::string& host, int port) {
    int err = 0;
    const int bound = impl_->http->bind(host, port, err);
    if (bound <= 0) {
        std::string why;
        if (err == EADDRINUSE) why = "the port is in use (another server? choose another --port)";
        else if (err == EACCES) why = "permission denied (ports below 1024 need privileges)";
        else if (err == EADDRNOTAVAIL) why = "the address is not one of this machine's";
        else why = "the address could not be bound" + (err ? " (" + std::string(std::strerror(err)) + ")" : std::string());
        throw BindError("cannot listen on " + host + ":" + std::to_string(port) + ": " + why);
    }
    return bound;
}

bool BoardServer::serve() { return impl_->http->serve(); }

void BoardServer::stop() {
    if (impl_ && impl_->http) impl_->http->stop();
}

}  // namespace salesflow::serve
