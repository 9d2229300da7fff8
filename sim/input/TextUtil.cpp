#include "input/TextUtil.hpp"

#include <algorithm>
#include <cctype>

#include "input/ConfigNode.hpp"

namespace salesflow::input {

std::string quote(std::string_view text) {
    constexpr std::size_t max_shown = 60;
    std::string out = "'";
    std::size_t shown = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (shown >= max_shown) {
            // Do not cut inside a UTF-8 sequence.
            while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xc0u) == 0x80u) out += text[i++];
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c == 0x7f) out += "\\x" + hex(c, 2);
        else out += static_cast<char>(c);
        if ((c & 0xc0u) != 0x80u) ++shown;
    }
    out += "'";
    return out;
}

std::string describe(const ConfigNode& node) {
    switch (node.kind()) {
    case ConfigNode::Kind::null: return "nothing";
    case ConfigNode::Kind::scalar: return quote(node.text());
    case ConfigNode::Kind::sequence: return "a list";
    case ConfigNode::Kind::map: return "a map";
    }
    return "?";
}

std::string hex(std::uint32_t value, int digits) {
    static const char* const xd = "0123456789abcdef";
    std::string out;
    while (value != 0 || static_cast<int>(out.size()) < digits) {
        out.insert(out.begin(), xd[value & 0xfu]);
        value >>= 4;
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Keys are short; the full table is fine. Long inputs are cut: nobody mistypes a key
    // of 200 characters, and a fuzzed file must not cost quadratic time.
    if (a.size() > 64) a = a.substr(0, 64);
    if (b.size() > 64) b = b.substr(0, 64);
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}
}  // namespace

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    const std::string w = lower(word);
    std::string best;
    std::size_t best_d = static_cast<std::size_t>(-1);
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(w, lower(c));
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    if (best.empty()) return {};
    // Close enough to be a typo: about one edit per three letters, at least one, and
    // never a "suggestion" that rewrites most of the word.
    const std::size_t limit = std::max<std::size_t>(1, std::max(w.size(), best.size()) / 3);
    if (best_d > limit || best_d >= std::max(w.size(), best.size())) return {};
    return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
    if (candidates.empty()) return {};
    const std::string n = nearest(word, candidates);
    if (!n.empty()) return " (did you mean " + quote(n) + "?)";
    return " (expected one of: " + join(candidates) + ")";
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += sep;
        out += words[i];
    }
    return out;
}

}  // namespace salesflow::input
