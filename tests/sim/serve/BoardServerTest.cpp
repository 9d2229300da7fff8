// BoardServer over HTTP (cpp-httplib's client): the embedded page, no way out of the
// folder through URLs, the Host check, and a bounded load test: 50 concurrent clients
// each make a fixed number of requests (page, scenario list, runs with levers moved);
// every request is answered and the server still answers afterwards.
// SALESFLOW_LOAD_SECONDS=60 makes each client go on for that long instead (the full
// minute of the issue; not run in CI).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "ServeTestSupport.hpp"
#include "serve/BoardServer.hpp"

using nlohmann::json;
using salesflow::serve::BoardApi;
using salesflow::serve::BoardServer;
using salesflow::serve::ScenarioFolder;
using salesflow::serve::ServeLimits;
using namespace salesflow::test;

namespace {

struct Running {
    BoardApi api{ScenarioFolder(workshop()), ServeLimits{}, 2};
    BoardServer server{api};
    int port = 0;
    std::thread thread;
    Running() {
        port = server.bind("127.0.0.1", 0);
        thread = std::thread([this] { server.serve(); });
        // serve() starts listening at once; wait until it answers.
        httplib::Client c("127.0.0.1", port);
        for (int i = 0; i < 500 && !c.Get("/api/status"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~Running() {
        api.shutdown();
        server.stop();
        thread.join();
    }
};

}  // namespace

TEST_CASE("the page and its assets are served from the binary, with a policy that forbids other origins") {
    Running s;
    httplib::Client c("127.0.0.1", s.port);
    auto r = c.Get("/");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(r->body.find("<script src=\"board.js\"></script>") != std::string::npos);
    CHECK(r->get_header_value("Content-Security-Policy").find("default-src 'self'") == 0);
    r = c.Get("/board.js");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.find("salesflowBoard") != std::string::npos);
    // Nothing on the page comes from elsewhere (works offline).
    for (const char* asset : {"/", "/board.js", "/board.css"}) {
        const auto a = c.Get(asset);
        REQUIRE(a);
        CHECK(a->body.find("http://") == std::string::npos);
        CHECK(a->body.find("https://") == std::string::npos);
    }
}

TEST_CASE("URLs cannot reach files: raw and encoded dots, absolute paths") {
    Running s;
    httplib::Client c("127.0.0.1", s.port);
    for (const char* url : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
                            "/api/../../etc/passwd", "//etc/passwd", "/scenarios/workshop/02-wip.yaml",
                            "/02-wip.yaml", "/board/presets.yaml", "/api/scenarios/../../../etc/passwd"}) {
        CAPTURE(url);
        const auto r = c.Get(url);
        REQUIRE(r);
        CHECK(r->status == 404);
        CHECK(r->body.find("root:") == std::string::npos);
        CHECK(r->body.find("horizon") == std::string::npos);
    }
}

TEST_CASE("a request addressed to another host name is refused (no DNS rebinding)") {
    Running s;
    httplib::Client c("127.0.0.1", s.port);
    auto r = c.Get("/api/scenarios", {{"Host", "attacker.example:" + std::to_string(s.port)}});
    REQUIRE(r);
    CHECK(r->status == 421);
    r = c.Get("/api/scenarios", {{"Host", "localhost:" + std::to_string(s.port)}});
    REQUIRE(r);
    CHECK(r->status == 200);
}

TEST_CASE("the API over HTTP: a run, an input error, a traversal, a body too large") {
    Running s;
    httplib::Client c("127.0.0.1", s.port);
    auto r = c.Post("/api/run", run_request("02-wip.yaml", {"roles.ae.wip_limit=3"}), "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["events"]["count"].get<int>() > 1000);
    r = c.Post("/api/run", run_request("02-wip.yaml", {"roles.ae.headcount=-1"}), "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(json::parse(r->body)["error"] == "--set:1:20: roles.ae.headcount: must be an integer >= 0, got '-1'");
    r = c.Post("/api/run", run_request("../market.yaml"), "application/json");
    REQUIRE(r);
    CHECK(r->status == 403);
    r = c.Post("/api/run", std::string(100 * 1024, 'x'), "application/json");
    REQUIRE(r);
    CHECK(r->status == 413);
}

TEST_CASE("50 concurrent clients: every request is answered, the server stays up") {
    Running s;
    const char* env = std::getenv("SALESFLOW_LOAD_SECONDS");
    const double seconds = env ? std::atof(env) : 0.0;
    constexpr int clients = 50, rounds = 4;
    std::atomic<int> ok{0}, busy{0}, failed{0};
    std::mutex m;
    std::vector<std::string> why;
    std::vector<std::thread> threads;
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (int k = 0; k < clients; ++k)
        threads.emplace_back([&, k] {
            httplib::Client c("127.0.0.1", s.port);
            c.set_read_timeout(120, 0);
            for (int i = 0; seconds > 0 ? std::chrono::steady_clock::now() < end : i < rounds; ++i) {
                const auto page = c.Get("/board.js");
                const auto list = c.Get("/api/scenarios");
                // Levers moved differently by each client: many distinct runs, some shared.
                const auto run = c.Post("/api/run", run_request("02-wip.yaml", {"roles.ae.wip_limit=" + std::to_string((k + i) % 7),
                                                                                "roles.ae.headcount=" + std::to_string(3 + k % 3)}),
                                        "application/json");
                for (const auto* r : {&page, &list, &run}) {
                    if (!*r) {
                        failed += 1;
                        std::lock_guard lock(m);
                        why.push_back(httplib::to_string(r->error()));
                    }
                    else if ((*r)->status == 200) ok += 1;
                    else if ((*r)->status == 503) busy += 1;   // answered: "busy, try again"
                    else failed += 1;
                }
            }
        });
    for (auto& t : threads) t.join();
    for (const auto& w : why) MESSAGE(w);
    CHECK(failed.load() == 0);
    if (seconds == 0.0) CHECK(ok.load() + busy.load() == clients * rounds * 3);
    MESSAGE("answered ok " << ok.load() << ", busy " << busy.load());
    httplib::Client c("127.0.0.1", s.port);
    const auto r = c.Get("/api/status");
    REQUIRE(r);
    CHECK(r->status == 200);
    const json st = json::parse(r->body);
    CHECK(st["waiting"] == 0);
    CHECK(st["running"] == 0);
}

TEST_CASE("a slow run does not hold up other clients: they are answered while it runs") {
    Running s;
    std::atomic<bool> slow_answered{false};
    std::thread slow([&] {
        httplib::Client h("127.0.0.1", s.port);
        h.set_read_timeout(60, 0);
        // Millions of events: runs until the time budget (10 s) or the end of the test stops it.
        h.Post("/api/run", run_request("01-kingman.yaml", {"sources.inbound.arrivals=2000/w", "roles.ae.headcount=300"}),
               "application/json");
        slow_answered = true;
    });
    httplib::Client c("127.0.0.1", s.port);
    auto running = [&] {
        const auto r = c.Get("/api/status");
        return r ? json::parse(r->body)["running"].get<int>() : -1;
    };
    for (int i = 0; i < 2000 && running() != 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(running() == 1);
    const auto page = c.Get("/");
    const auto list = c.Get("/api/scenarios");
    // The page and the list came back while the slow run was still going (it runs until
    // its 10 s budget or the shutdown below). The second run may take longer than that
    // budget on a loaded machine, so it is checked only for its answer.
    const bool slow_still_running = !slow_answered.load();
    const auto run = c.Post("/api/run", run_request("02-wip.yaml"), "application/json");   // the second worker
    REQUIRE(page);
    REQUIRE(list);
    REQUIRE(run);
    CHECK(page->status == 200);
    CHECK(list->status == 200);
    CHECK(run->status == 200);
    CHECK(slow_still_running);
    s.api.shutdown();        // stops it at once
    slow.join();
}
