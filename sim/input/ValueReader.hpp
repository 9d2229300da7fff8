#pragma once
// ValueReader: reads one scalar of the scenario as a typed value (text, name, boolean,
// integer, number, duration, rate), reporting a precise diagnostic that quotes the value
// when it does not fit. Returns nullopt after reporting, so callers keep going and every
// problem of a file is found in one pass.
#include <cstdint>
#include <optional>
#include <string>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"
#include "input/Range.hpp"

namespace salesflow::input {

class ValueReader {
public:
    explicit ValueReader(Diagnostics& diags) : diags_(diags) {}

    Diagnostics& diags() { return diags_; }
    void error(const Position& where, const std::string& path, std::string message);

    // Any scalar, as written.
    std::optional<std::string> text(const ConfigNode& n, const std::string& path);
    // A name of a source, stage or role: letters, digits, '-' and '_'.
    std::optional<std::string> name(const ConfigNode& n, const std::string& path);
    // true or false (also True/TRUE/False/FALSE).
    std::optional<bool> boolean(const ConfigNode& n, const std::string& path);
    // An integer literal in [lo, hi]; 2.5, 1e3, true and quoted text are refused.
    std::optional<std::int64_t> integer(const ConfigNode& n, const std::string& path, std::int64_t lo, std::int64_t hi);
    // An integer literal in [0, 2^64 - 1].
    std::optional<std::uint64_t> unsigned64(const ConfigNode& n, const std::string& path);
    // A plain number in `range`.
    std::optional<double> number(const ConfigNode& n, const std::string& path, const Range& range);
    std::optional<double> probability(const ConfigNode& n, const std::string& path) {
        return number(n, path, Range::probability());
    }
    // A duration in hours, in `range` (never negative).
    std::optional<double> duration(const ConfigNode& n, const std::string& path, const Range& range = Range::at_least(0));
    // A rate in events per hour.
    std::optional<double> rate(const ConfigNode& n, const std::string& path);

private:
    Diagnostics& diags_;
};

}  // namespace salesflow::input
