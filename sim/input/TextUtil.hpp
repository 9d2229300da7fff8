#pragma once
// Text helpers shared by the input layer's messages: quoting offending values, naming
// what a node is, and "did you mean" suggestions by edit distance.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace salesflow::input {

class ConfigNode;

// 'text' in single quotes, control characters escaped, cut after 60 characters, so a
// message quoting a value stays on one line and readable whatever the value holds.
std::string quote(std::string_view text);

// What a node is, for "got ..." in messages: 'text' for a scalar, "a list", "a map", "nothing".
std::string describe(const ConfigNode& node);

// Lower-case hexadecimal with at least `digits` digits.
std::string hex(std::uint32_t value, int digits);

// Optimal string alignment distance (Levenshtein plus swaps of neighbours: "hedcount"
// and "haedcount" are both one edit from "headcount").
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is close enough to be a likely typo, else empty.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or, without a close candidate, " (expected one of: a, b, c)".
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);

// Without leading and trailing white space (ASCII).
std::string trim(const std::string& s);

// ASCII letters in lower case; other bytes as they are.
std::string lower(std::string s);

// "a, b, c"
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");

}  // namespace salesflow::input
