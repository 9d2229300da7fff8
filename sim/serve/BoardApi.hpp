#pragma once
// BoardApi: the JSON API of `salesflow serve`, independent of HTTP (the server only maps
// routes to these calls), so that tests can call it directly. Every answer is a status and
// a JSON body; errors are {"error": TEXT, "problems": [LINE...]} where an input error's
// TEXT is exactly what the command line prints for the same file and --set overrides.
//
//   GET  /api/scenarios  scenarios(): the folder's scenarios, files that are not
//                        scenarios (sweeps) with the reason, the presets, the limits
//   POST /api/levers     levers(BODY): a scenario with overrides: its stages, roles, levers
//   POST /api/run        run(BODY): one replication: events, series, metrics, levers
//   GET  /api/status     status(): runs started, answered from the cache, waiting, running
//
// BODY: {"file": NAME, "set": [PATH=VALUE...], "replication": R, "seed": S} (set,
// replication (default 0) and seed (default: the scenario's) optional).
#include <atomic>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "serve/Presets.hpp"
#include "serve/RunPool.hpp"
#include "serve/ScenarioFolder.hpp"
#include "serve/ServeLimits.hpp"

namespace salesflow::serve {

struct ApiResponse {
    int status = 200;
    std::string body;
};

class BoardApi {
public:
    // Reads and checks the folder's presets (throws input::InputError when they are wrong).
    BoardApi(ScenarioFolder folder, ServeLimits limits, int workers);
    ~BoardApi();

    ApiResponse scenarios() const;
    ApiResponse levers(const std::string& body) const;
    ApiResponse run(const std::string& body);
    ApiResponse status() const;
    // Stops every run; later runs are answered 503.
    void shutdown();

    const ScenarioFolder& folder() const { return folder_; }
    const ServeLimits& limits() const { return limits_; }
    const std::vector<Preset>& presets() const { return presets_; }

private:
    struct Request;
    struct CacheEntry {
        std::shared_future<ApiResponse> answer;
        std::uint64_t used = 0;
    };
    Request parse_request(const std::string& body) const;
    void remember(const std::string& key, const ApiResponse& r);

    ScenarioFolder folder_;
    ServeLimits limits_;
    std::vector<Preset> presets_;
    RunPool pool_;
    mutable std::mutex cache_m_;
    std::map<std::string, CacheEntry> cache_;
    std::uint64_t tick_ = 0;
    std::atomic<std::uint64_t> runs_{0}, cached_{0}, refused_busy_{0};
};

}  // namespace salesflow::serve
