#pragma once
// InputError: the scenario input (files, extends chain, --set overrides) does not fit the
// format. Carries every problem found, one Diagnostic each; what() is all of them, one
// `FILE:LINE:COLUMN: PATH: reason` line each. The command line maps it to exit status 2.
#include <exception>
#include <string>
#include <vector>

#include "input/Diagnostic.hpp"

namespace salesflow::input {

class InputError : public std::exception {
public:
    explicit InputError(std::vector<Diagnostic> diagnostics);

    const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }
    const char* what() const noexcept override { return text_.c_str(); }

private:
    std::vector<Diagnostic> diagnostics_;
    std::string text_;
};

}  // namespace salesflow::input
