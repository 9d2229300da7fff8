#pragma once
// Diagnostics: the problems found so far while reading one scenario. Every stage of the
// input pipeline adds to it instead of stopping, so that a user sees every problem of
// the input at once; throw_if_any() turns a non-empty collection into an InputError.
#include <cstddef>
#include <string>
#include <vector>

#include "input/Diagnostic.hpp"
#include "input/Position.hpp"

namespace salesflow::input {

class Diagnostics {
public:
    // Upper bound on kept diagnostics: beyond it only a count is kept, so a huge broken
    // input (a million-row trace with a bad column) cannot flood the terminal or memory.
    static constexpr std::size_t max_kept = 200;

    void add(const Position& where, std::string path, std::string message);
    void add(Diagnostic d);

    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size() + dropped_; }
    const std::vector<Diagnostic>& items() const { return items_; }

    // The diagnostics sorted by file (in order of first appearance), line and column,
    // exact repeats removed, plus a final note when some were dropped.
    std::vector<Diagnostic> sorted() const;

    // Throws InputError with sorted() when anything was reported.
    void throw_if_any() const;

private:
    std::vector<Diagnostic> items_;
    std::size_t dropped_ = 0;
};

}  // namespace salesflow::input
