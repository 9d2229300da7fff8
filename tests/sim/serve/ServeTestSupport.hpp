#pragma once
// Shared by the serve tests: temporary folders, the workshop folder, JSON of API answers.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "serve/BoardApi.hpp"

namespace salesflow::test {

inline std::string workshop() { return std::string(SALESFLOW_SOURCE_DIR) + "/scenarios/workshop"; }

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("salesflow-serve-" + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    void write(const std::string& rel, const std::string& text) const {
        std::filesystem::create_directories((path / rel).parent_path());
        std::ofstream(path / rel) << text;
    }
};

inline nlohmann::json body_of(const serve::ApiResponse& r) { return nlohmann::json::parse(r.body); }

inline std::string run_request(const std::string& file, const std::vector<std::string>& sets = {}, int rep = 0) {
    return nlohmann::json{{"file", file}, {"set", sets}, {"replication", rep}}.dump();
}

}  // namespace salesflow::test
