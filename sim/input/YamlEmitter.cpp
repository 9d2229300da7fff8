#include "input/YamlEmitter.hpp"

#include "input/TextUtil.hpp"

namespace salesflow::input {
namespace {

bool is_null_word(const std::string& s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// Whether `s` can be written as a plain scalar in block context and read back as the
// same text. A scalar that was plain in the input always can, except when it was folded
// from several lines; the test is conservative and anything doubtful gets quoted.
bool plain_ok(const std::string& s) {
    if (is_null_word(s)) return false;
    if (s.front() == ' ' || s.back() == ' ' || s.front() == '\t' || s.back() == '\t') return false;
    static const std::string indicators = "-?:,[]{}#&*!|>'\"%@`";
    if (indicators.find(s.front()) != std::string::npos) {
        // "-1", "-.5", ":x" style starts are fine only for - ? : followed by a non-space.
        if (!((s.front() == '-' || s.front() == '?' || s.front() == ':') && s.size() > 1 && s[1] != ' ')) return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return false;
        if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return false;
        if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
    }
    if (s == "---" || s == "..." || s.rfind("--- ", 0) == 0 || s.rfind("... ", 0) == 0) return false;
    return true;
}

std::string double_quoted(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) out += "\\x" + hex(c, 2);
            else out += ch;
        }
    }
    return out + "\"";
}

std::string scalar_text(const ConfigNode& n) {
    if (n.is_null()) return "~";
    if (!n.quoted() && plain_ok(n.text())) return n.text();
    return double_quoted(n.text());
}

std::string key_text(const std::string& k) {
    bool simple = !k.empty() && !is_null_word(k);
    for (const char c : k)
        simple = simple && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
    if (simple && k.front() == '-') simple = false;
    return simple ? k : double_quoted(k);
}

// A short list of scalars reads better on one line: [1, 1.2, 0.8]. Flow context is
// stricter for plain scalars, so any with flow indicators or ':' are quoted there.
std::string flow_scalar_text(const ConfigNode& n) {
    if (n.is_null()) return "~";
    if (!n.quoted() && plain_ok(n.text()) && n.text().find_first_of(",[]{}:#") == std::string::npos) return n.text();
    return double_quoted(n.text());
}

std::string flow_sequence(const ConfigNode& n) {
    std::string out = "[";
    for (std::size_t i = 0; i < n.items().size(); ++i) {
        if (i > 0) out += ", ";
        out += flow_scalar_text(n.items()[i]);
    }
    return out + "]";
}

bool is_flow_sequence(const ConfigNode& n) {
    if (!n.is_sequence()) return false;
    for (const auto& item : n.items())
        if (!item.is_scalar() && !item.is_null()) return false;
    return flow_sequence(n).size() <= 80;
}

bool is_inline(const ConfigNode& n) {
    return n.is_null() || n.is_scalar() || is_flow_sequence(n) || (n.is_map() && n.entries().empty());
}

std::string inline_text(const ConfigNode& n) {
    if (n.is_sequence()) return flow_sequence(n);
    if (n.is_map()) return "{}";
    return scalar_text(n);
}

void emit_block(const ConfigNode& n, int indent, std::string& out);

// "- item": the item's first line goes after the dash, the rest is indented past it.
void emit_item(const ConfigNode& item, int indent, std::string& out) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (is_inline(item)) {
        out += pad + "- " + inline_text(item) + "\n";
        return;
    }
    std::string inner;
    emit_block(item, indent + 2, inner);
    out += pad + "- " + inner.substr(static_cast<std::size_t>(indent) + 2);
}

void emit_block(const ConfigNode& n, int indent, std::string& out) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (n.is_sequence()) {
        for (const auto& item : n.items()) emit_item(item, indent, out);
    } else if (n.is_map()) {
        for (const auto& e : n.entries()) {
            out += pad + key_text(e.key) + ":";
            if (is_inline(e.value)) {
                out += ' ';   // appended: GCC 12 warns falsely (-Wrestrict) on " " + std::string
                out += inline_text(e.value);
                out += '\n';
            } else {
                out += "\n";
                emit_block(e.value, indent + 2, out);
            }
        }
    } else {
        out += pad + inline_text(n) + "\n";
    }
}

}  // namespace

std::string emit_yaml(const ConfigNode& node) {
    std::string out;
    emit_block(node, 0, out);
    return out;
}

}  // namespace salesflow::input
