#pragma once
// Position: where a piece of scenario input was written: a file (or `--set` for a
// command-line override) and a 1-based line and column. Line 0 means "the file as a
// whole" (for example a file that cannot be opened).
#include <string>

namespace salesflow::input {

struct Position {
    std::string file;
    int line = 0;
    int column = 0;
};

}  // namespace salesflow::input
