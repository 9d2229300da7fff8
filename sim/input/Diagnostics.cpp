#include "input/Diagnostics.hpp"

#include <algorithm>
#include <map>

#include "input/InputError.hpp"

namespace salesflow::input {

void Diagnostics::add(const Position& where, std::string path, std::string message) {
    add(Diagnostic(where, std::move(path), std::move(message)));
}

void Diagnostics::add(Diagnostic d) {
    if (items_.size() >= max_kept) {
        ++dropped_;
        return;
    }
    items_.push_back(std::move(d));
}

std::vector<Diagnostic> Diagnostics::sorted() const {
    // Validation walks the schema, not the file, so reports arrive out of file order;
    // users read them top to bottom next to their editor, hence the sort. Files keep the
    // order in which they first produced a problem (the extended file usually first).
    std::map<std::string, std::size_t> file_rank;
    for (const auto& d : items_) file_rank.emplace(d.file, file_rank.size());
    std::vector<Diagnostic> out = items_;
    std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        const auto ra = file_rank.at(a.file);
        const auto rb = file_rank.at(b.file);
        if (ra != rb) return ra < rb;
        if (a.line != b.line) return a.line < b.line;
        return a.column < b.column;
    });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (dropped_ > 0) {
        Diagnostic more;
        more.file = out.empty() ? std::string("input") : out.back().file;
        more.message = "... and " + std::to_string(dropped_) + " more problems not shown";
        out.push_back(std::move(more));
    }
    return out;
}

void Diagnostics::throw_if_any() const {
    if (!items_.empty()) throw InputError(sorted());
}

}  // namespace salesflow::input
