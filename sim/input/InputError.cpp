#include "input/InputError.hpp"

namespace salesflow::input {

InputError::InputError(std::vector<Diagnostic> diagnostics) : diagnostics_(std::move(diagnostics)) {
    // Built once here: what() must not allocate (it is noexcept and may run while
    // unwinding), and the text never changes.
    for (std::size_t i = 0; i < diagnostics_.size(); ++i) {
        if (i > 0) text_ += '\n';
        text_ += diagnostics_[i].str();
    }
    if (diagnostics_.empty()) text_ = "invalid scenario input";
}

}  // namespace salesflow::input
