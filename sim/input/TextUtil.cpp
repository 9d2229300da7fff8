#include "input/TextUtil.hpp"

#include <algorithm>
#include <cctype>

#include "input/ConfigNode.hpp"

namespace salesflow::input {

namespace {

// Length of the valid UTF-8 sequence starting at `i` (shortest form, no surrogates,
// at most U+10FFFF), or 0 when the byte there does not start one.
std::size_t utf8_length(std::string_view t, std::size_t i) {
    const auto b = static_cast<unsigned char>(t[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b < 0x80) return 1;
    if (b >= 0xc2 && b <= 0xdf) { len = 2; cp = b & 0x1fu; }
    else if (b >= 0xe0 && b <= 0xef) { len = 3; cp = b & 0x0fu; }
    else if (b >= 0xf0 && b <= 0xf4) { len = 4; cp = b & 0x07u; }
    else return 0;
    if (i + len > t.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(t[i + k]);
        if ((c & 0xc0u) != 0x80u) return 0;
        cp = (cp << 6) | (c & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

}  // namespace

std::string quote(std::string_view text) {
    // Never echoes raw bytes: control characters and bytes that are not UTF-8 are shown
    // as escapes, so a message is valid text whatever the input held.
    constexpr std::size_t max_shown = 60;
    std::string out = "'";
    std::size_t shown = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (shown >= max_shown) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = utf8_length(text, i);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c == 0x7f || len == 0) out += "\\x" + hex(c, 2);
        else out.append(text.substr(i, len));
        i += len == 0 ? 1 : len;
        ++shown;
    }
    out += "'";
    return out;
}

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
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
