#pragma once
// Diagnostic: one problem found in a scenario's input, tied to where it was written and
// to the dotted PATH of the offending key (`roles.ae.headcount`), printed as
// `FILE:LINE:COLUMN: PATH: reason`.
#include <string>

#include "input/Position.hpp"

namespace salesflow::input {

struct Diagnostic {
    std::string file;
    int line = 0;     // 1-based; 0 when the problem concerns the file as a whole
    int column = 0;   // 1-based, in bytes of the line
    std::string path; // dotted path of the key, empty for problems of the file itself
    std::string message;

    Diagnostic() = default;
    Diagnostic(const Position& where, std::string key_path, std::string reason);

    // `FILE:LINE:COLUMN: PATH: reason` (`FILE: reason` when line and path are absent).
    std::string str() const;

    friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

}  // namespace salesflow::input
