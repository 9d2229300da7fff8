#include "input/Diagnostic.hpp"

namespace salesflow::input {

Diagnostic::Diagnostic(const Position& where, std::string key_path, std::string reason)
    : file(where.file), line(where.line), column(where.column), path(std::move(key_path)),
      message(std::move(reason)) {}

std::string Diagnostic::str() const {
    std::string out = file;
    // A position of 0 means "no particular place in the file": print nothing rather than
    // a made-up 1:1 that editors would jump to.
    if (line > 0) {
        out.append(":").append(std::to_string(line));
        out.append(":").append(std::to_string(column > 0 ? column : 1));
    }
    out += ": ";
    if (!path.empty()) out += path + ": ";
    out += message;
    return out;
}

}  // namespace salesflow::input
