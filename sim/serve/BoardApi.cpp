#include "serve/BoardApi.hpp"

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "input/InputError.hpp"
#include "input/ScenarioLoader.hpp"
#include "serve/BoardRun.hpp"

namespace salesflow::serve {

using nlohmann::json;

namespace {

// A request the API refuses before loading anything.
struct RequestError {
    int status;
    std::string message;
};

ApiResponse error(int status, const std::string& message, const std::vector<std::string>& problems = {}) {
    json j;
    j["error"] = message;
    j["problems"] = problems;
    return {status, j.dump()};
}

ApiResponse input_error(const input::InputError& e) {
    std::vector<std::string> lines;
    for (const auto& d : e.diagnostics()) lines.push_back(d.str());
    return error(400, e.what(), lines);
}

}  // namespace

struct BoardApi::Request {
    std::string file;
    std::vector<std::string> sets;
    int replication = 0;
    std::optional<std::uint64_t> seed;
};

BoardApi::BoardApi(ScenarioFolder folder, ServeLimits limits, int workers)
    : folder_(std::move(folder)), limits_(limits), pool_(workers, limits.max_waiting_runs, limits.run_budget) {
    const std::string p = presets_path(folder_);
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) presets_ = load_presets(p, folder_, limits_);
}

BoardApi::~BoardApi() { shutdown(); }

void BoardApi::shutdown() { pool_.shutdown(); }

BoardApi::Request BoardApi::parse_request(const std::string& body) const {
    if (body.size() > limits_.max_body_bytes)
        throw RequestError{413, "the request is larger than " + std::to_string(limits_.max_body_bytes) + " bytes"};
    json j;
    try {
        j = json::parse(body);
    } catch (const json::parse_error& e) {
        throw RequestError{400, std::string("the request is not JSON: ") + e.what()};
    }
    if (!j.is_object()) throw RequestError{400, "the request must be a JSON object {\"file\": ..., \"set\": [...]}"};
    Request r;
    for (const auto& [k, v] : j.items()) {
        if (k == "file") {
            if (!v.is_string()) throw RequestError{400, "file: must be a text, the scenario's name in the folder"};
            r.file = v.get<std::string>();
        } else if (k == "set") {
            if (!v.is_array()) throw RequestError{400, "set: must be a list of PATH=VALUE texts"};
            if (v.size() > limits_.max_sets)
                throw RequestError{422, "too many overrides: " + std::to_string(v.size()) + " (at most " +
                                            std::to_string(limits_.max_sets) + " per request)"};
            for (const auto& s : v) {
                if (!s.is_string()) throw RequestError{400, "set: every override must be a PATH=VALUE text"};
                r.sets.push_back(s.get<std::string>());
            }
        } else if (k == "replication") {
            if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > limits_.max_replication)
                throw RequestError{422, "replication: must be an integer from 0 to " + std::to_string(limits_.max_replication) +
                                            ", got " + v.dump()};
            r.replication = v.get<int>();
        } else if (k == "seed") {
            if (!v.is_number_unsigned()) throw RequestError{400, "seed: must be an integer >= 0, got " + v.dump()};
            r.seed = v.get<std::uint64_t>();
        } else {
            throw RequestError{400, "unknown key '" + k + "' (allowed: file, set, replication, seed)"};
        }
    }
    if (r.file.empty()) throw RequestError{400, "file: required, the scenario's name in the folder"};
    return r;
}

ApiResponse BoardApi::scenarios() const {
    json list = json::array(), skipped = json::array();
    const std::string presets_file = "board/presets.yaml";
    for (const auto& name : folder_.list()) {
        if (name == presets_file) continue;
        try {
            const auto cfg = input::load_scenario(folder_.resolve(name));
            list.push_back({{"file", name}, {"name", cfg.name}, {"description", cfg.description},
                            {"horizon_h", cfg.simulation.horizon_h}, {"warmup_h", cfg.simulation.warmup_h},
                            {"seed", cfg.simulation.seed}});
        } catch (const input::InputError& e) {
            skipped.push_back({{"file", name}, {"problem", e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics()[0].str()}});
        } catch (const AccessError& e) {
            skipped.push_back({{"file", name}, {"problem", e.what()}});
        }
    }
    json presets = json::array();
    for (const auto& p : presets_) {
        json boards = json::array();
        for (const auto& b : p.boards) boards.push_back({{"file", b.file}, {"set", b.sets}});
        presets.push_back({{"id", p.id}, {"title", p.title}, {"question", p.question}, {"note", p.note},
                           {"seconds_per_week", p.seconds_per_week}, {"boards", boards}});
    }
    json limits = {{"max_horizon_h", limits_.max_horizon_h},       {"max_events", limits_.max_events},
                   {"max_people", limits_.max_people},             {"max_campaign_leads", limits_.max_campaign_leads},
                   {"max_series_rows", limits_.max_series_rows},   {"max_replication", limits_.max_replication},
                   {"max_sets", limits_.max_sets},                 {"max_set_chars", limits_.max_set_chars},
                   {"max_body_bytes", limits_.max_body_bytes},     {"run_budget_s", static_cast<double>(limits_.run_budget.count()) / 1000.0},
                   {"max_waiting_runs", limits_.max_waiting_runs}};
    json doc = {{"folder", folder_.given()}, {"scenarios", list}, {"skipped", skipped}, {"presets", presets},
                {"limits", limits}};
    return {200, doc.dump()};
}

ApiResponse BoardApi::levers(const std::string& body) const {
    try {
        const Request r = parse_request(body);
        const std::string path = folder_.resolve(r.file);
        check_overrides(r.sets, limits_);
        const auto cfg = input::load_scenario(path, overrides_with_seed(r.sets, r.seed));
        check_limits(cfg, limits_);
        return {200, scenario_json(cfg, r.file, r.sets)};
    } catch (const RequestError& e) {
        return error(e.status, e.message);
    } catch (const AccessError& e) {
        return error(e.status(), e.what());
    } catch (const input::InputError& e) {
        return input_error(e);
    } catch (const LimitError& e) {
        return error(422, e.what());
    }
}

ApiResponse BoardApi::run(const std::string& body) {
    std::shared_future<ApiResponse> answer;
    std::string key;
    try {
        const Request r = parse_request(body);
        const std::string path = folder_.resolve(r.file);
        check_overrides(r.sets, limits_);
        auto cfg = input::load_scenario(path, overrides_with_seed(r.sets, r.seed));
        check_limits(cfg, limits_);
        // The resolved scenario says everything that decides the run; the file and the
        // overrides as written are echoed in the answer, so they belong to the key too.
        key = std::to_string(r.replication) + "\n" + r.file + "\n";
        for (const auto& s : r.sets) key += s + "\n";
        key += cfg.resolved_yaml;
        std::lock_guard lock(cache_m_);
        if (auto it = cache_.find(key); it != cache_.end()) {
            it->second.used = ++tick_;
            answer = it->second.answer;
            cached_ += 1;
        } else {
            auto promise = std::make_shared<std::promise<ApiResponse>>();
            answer = promise->get_future().share();
            auto job = [promise, cfg = std::move(cfg), r, this](RunControl& control) {
                ApiResponse a;
                try {
                    if (control.stop.load()) throw LimitError("the server is shutting down");
                    a = {200, run_board_json(cfg, r.file, r.sets, r.replication, limits_, control)};
                } catch (const LimitError& e) {
                    a = error(control.reason.load() == static_cast<int>(StopReason::shutdown) ? 503 : 422, e.what());
                } catch (const std::exception& e) {
                    a = error(500, std::string("the run failed: ") + e.what());
                }
                promise->set_value(std::move(a));
            };
            if (!pool_.submit(std::move(job))) {
                refused_busy_ += 1;
                return error(503, "the server is busy: " + std::to_string(limits_.max_waiting_runs) +
                                      " runs are waiting already; try again in a moment");
            }
            runs_ += 1;
            cache_[key] = {answer, ++tick_};
        }
    } catch (const RequestError& e) {
        return error(e.status, e.message);
    } catch (const AccessError& e) {
        return error(e.status(), e.what());
    } catch (const input::InputError& e) {
        return input_error(e);
    } catch (const LimitError& e) {
        return error(422, e.what());
    }
    ApiResponse a = answer.get();
    remember(key, a);
    return a;
}

void BoardApi::remember(const std::string& key, const ApiResponse& r) {
    std::lock_guard lock(cache_m_);
    if (r.status != 200) {
        cache_.erase(key);   // errors (a time budget, a shutdown) are not kept
        return;
    }
    // Evict the least recently used finished answers beyond the bounds.
    auto ready = [](const CacheEntry& e) {
        return e.answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    };
    while (true) {
        std::size_t bytes = 0, n = 0;
        auto oldest = cache_.end();
        for (auto it = cache_.begin(); it != cache_.end(); ++it) {
            if (!ready(it->second)) continue;
            ++n;
            bytes += it->second.answer.get().body.size() + it->first.size();
            if (oldest == cache_.end() || it->second.used < oldest->second.used) oldest = it;
        }
        if (oldest == cache_.end() || (n <= limits_.cache_entries && bytes <= limits_.cache_bytes)) break;
        cache_.erase(oldest);
    }
}

ApiResponse BoardApi::status() const {
    json j = {{"runs", runs_.load()},          {"answered_from_cache", cached_.load()},
              {"refused_busy", refused_busy_.load()}, {"waiting", pool_.waiting()},
              {"running", pool_.running()},    {"workers", pool_.workers()}};
    return {200, j.dump()};
}

}  // namespace salesflow::serve
