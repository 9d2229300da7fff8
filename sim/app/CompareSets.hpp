#pragma once
// CompareSets: the --set arguments of `compare`, sorted out per compared file.
// `NAME:PATH=VALUE` changes only the file whose scenario name (its `name` after
// `extends`, before any --set) or file stem (the file name without a `.yaml` or `.yml`
// ending) is NAME; `PATH=VALUE` changes every file. A NAME that matches no file, or
// different files, is refused (UsageError). A plain PATH that goes through a named item
// (a stage, role or source) that some files have and others lack is refused with the
// files that have it (input::InputError): give those a NAME: instead.
#include <string>
#include <vector>

namespace salesflow::app {

// The scope and the PATH=VALUE of one argument. The scope is the text before the first
// ':' that comes before the first '=' (`scoped`); a plain --set has none.
struct ScopedSet {
    bool scoped = false;
    std::string scope;
    std::string set;
};
ScopedSet split_scope(const std::string& argument);

// Per file (in the order given), the sets that apply to it, in command-line order.
std::vector<std::vector<std::string>> compare_sets(const std::vector<std::string>& files,
                                                   const std::vector<std::string>& sets);

}  // namespace salesflow::app
