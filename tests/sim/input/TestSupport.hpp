#pragma once
// Helpers for the input tests: a private temporary folder for fixture files, running a
// load that must fail and getting its diagnostics, finding one diagnostic by path.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

#include "input/Diagnostic.hpp"
#include "input/InputError.hpp"

namespace salesflow::input::test {

inline const std::string data_dir = SALESFLOW_INPUT_DATA;

// A fresh folder under the system temp folder, removed with everything in it.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("salesflow-input-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string path() const { return path_.string(); }
    // Writes `content` to `name` (folders created) and returns the full path.
    std::string write(const std::string& name, const std::string& content) const {
        const auto p = path_ / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream out(p, std::ios::binary);
        out << content;
        return p.string();
    }

private:
    std::filesystem::path path_;
};

// Runs `f`, which must throw InputError, and returns its diagnostics (empty and a failed
// check when it did not throw).
template <class F>
std::vector<Diagnostic> errors_of(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.diagnostics();
    }
    FAIL_CHECK("expected an InputError");
    return {};
}

// The first diagnostic with this path, or nullptr.
inline const Diagnostic* find_path(const std::vector<Diagnostic>& ds, const std::string& path) {
    for (const auto& d : ds)
        if (d.path == path) return &d;
    return nullptr;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The first diagnostic with this path whose message contains `part`, else the first
// with this path, else nullptr.
inline const Diagnostic* find_diag(const std::vector<Diagnostic>& ds, const std::string& path, const std::string& part) {
    for (const auto& d : ds)
        if (d.path == path && d.message.find(part) != std::string::npos) return &d;
    return find_path(ds, path);
}

// Prints all diagnostics when a check on them fails.
inline std::string dump(const std::vector<Diagnostic>& ds) {
    std::string out;
    for (const auto& d : ds) out += d.str() + "\n";
    return out;
}

// Checks one diagnostic completely: it exists with this path, at this place, and its
// message contains `part` (typically the quoted offending value).
#define CHECK_DIAG(ds, file_, line_, column_, path_, part)                                      \
    do {                                                                                         \
        const auto* d_ = ::salesflow::input::test::find_diag(ds, path_, part);                         \
        INFO("diagnostics:\n" << ::salesflow::input::test::dump(ds));                           \
        REQUIRE_MESSAGE(d_ != nullptr, "no diagnostic for path " << path_);                      \
        CHECK(d_->file == (file_));                                                              \
        CHECK(d_->line == (line_));                                                              \
        CHECK(d_->column == (column_));                                                          \
        CHECK_MESSAGE(::salesflow::input::test::contains(d_->message, part), d_->message);       \
    } while (false)

// A small valid scenario; tests add or replace lines to make it wrong in one way.
inline std::string minimal_scenario() {
    return "name: mini\n"                         // 1
           "simulation:\n"                        // 2
           "  horizon: 4w\n"                      // 3
           "sources:\n"                           // 4
           "  - name: web\n"                      // 5
           "    arrivals: 10/w\n"                 // 6
           "stages:\n"                            // 7
           "  - name: work\n"                     // 8
           "    role: rep\n"                      // 9
           "    effort: {exponential: {mean: 2h}}\n"  // 10
           "roles:\n"                             // 11
           "  - name: rep\n"                      // 12
           "    headcount: 2\n";                  // 13
}

// `text` with `from` replaced by `to` (which must be there).
inline std::string replaced(std::string t, const std::string& from, const std::string& to) {
    const auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
    return t;
}

// The minimal scenario with `from` replaced by `to`.
inline std::string mini_with(const std::string& from, const std::string& to) { return replaced(minimal_scenario(), from, to); }

// The process's peak resident memory so far, in KiB.
inline long peak_kb() {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

}  // namespace salesflow::input::test
