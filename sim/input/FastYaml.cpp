#include "input/FastYaml.hpp"

#include <cstddef>

namespace salesflow::input {
namespace {

struct GiveUp {};

bool is_null_string(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// Characters that may not start a plain scalar here (YAML indicators), '-' aside.
bool is_indicator(char c) {
    switch (c) {
    case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#': case '&': case '*':
    case '!': case '|': case '>': case '\'': case '"': case '%': case '@': case '`': case '-': case ' ':
        return true;
    default:
        return false;
    }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Reader {
public:
    Reader(std::string_view text, std::size_t max_events) : t_(text), max_events_(max_events) {}

    std::vector<YamlEvent> run() {
        if (t_.find_first_of("\t\r") != std::string_view::npos) throw GiveUp{};
        std::size_t pos = 0;
        int line = 0;
        while (pos < t_.size()) {
            std::size_t end = t_.find('\n', pos);
            if (end == std::string_view::npos) end = t_.size();
            do_line(pos, end, line);
            pos = end + 1;
            ++line;
        }
        if (stack_.empty()) throw GiveUp{};  // no content: let yaml-cpp say what it is
        if (pending_) emit_null(YAML::Mark{});
        while (!stack_.empty()) close_top();
        return std::move(ev_);
    }

private:
    struct Open {
        bool map;
        std::size_t column;
    };

    YAML::Mark mark(std::size_t off) const {
        YAML::Mark m;
        m.pos = static_cast<int>(off);
        m.line = line_;
        m.column = static_cast<int>(off - line_start_);
        return m;
    }

    void emit(YamlEvent::Kind k, std::size_t off) {
        YamlEvent e;
        e.kind = k;
        e.mark = mark(off);
        push(std::move(e));
    }
    void emit_null(const YAML::Mark& m) {
        YamlEvent e;
        e.kind = YamlEvent::Kind::null;
        e.mark = m;
        push(std::move(e));
    }
    void emit_scalar(std::size_t off, std::string_view text, bool plain) {
        if (plain && is_null_string(text)) {
            emit_null(mark(off));
            return;
        }
        YamlEvent e;
        e.kind = YamlEvent::Kind::scalar;
        e.mark = mark(off);
        e.text = std::string(text);
        e.plain = plain;
        push(std::move(e));
    }
    void close_top() {
        YamlEvent e;
        e.kind = stack_.back().map ? YamlEvent::Kind::map_end : YamlEvent::Kind::sequence_end;
        push(std::move(e));
        stack_.pop_back();
    }

    void push(YamlEvent e) {
        if (ev_.size() >= max_events_) throw GiveUp{};
        ev_.push_back(std::move(e));
    }

    char at(std::size_t i) const { return i < end_ ? t_[i] : '\n'; }

    void do_line(std::size_t begin, std::size_t end, int line) {
        line_ = line;
        line_start_ = begin;
        end_ = end;
        std::size_t p = begin;
        while (p < end && t_[p] == ' ') ++p;
        if (p == end || t_[p] == '#') return;  // blank or comment line
        const std::size_t col = p - begin;
        if (col == 0 && end - p >= 3 &&
            (t_.substr(p, 3) == "---" || t_.substr(p, 3) == "..."))
            throw GiveUp{};  // document markers
        if (stack_.empty()) {
            if (col != 0 || !key_end(p)) throw GiveUp{};
            emit(YamlEvent::Kind::map_start, p);
            stack_.push_back(Open{true, 0});
            key_line(p);
            return;
        }
        if (pending_) {
            pending_ = false;
            if (col > pending_column_) {
                if (t_[p] == '-') {
                    if (at(p + 1) != ' ') throw GiveUp{};
                    emit(YamlEvent::Kind::sequence_start, p);
                    stack_.push_back(Open{false, col});
                    item_line(p);
                    return;
                }
                if (!key_end(p)) throw GiveUp{};
                emit(YamlEvent::Kind::map_start, p);
                stack_.push_back(Open{true, col});
                key_line(p);
                return;
            }
            if (col == pending_column_ && t_[p] == '-') throw GiveUp{};  // a sequence not indented under its key
            emit_null(mark(p));  // shown at its key by the tree builder
        }
        while (!stack_.empty() && stack_.back().column > col) close_top();
        if (stack_.empty() || stack_.back().column != col) throw GiveUp{};
        if (stack_.back().map) {
            key_line(p);
        } else {
            if (t_[p] != '-' || at(p + 1) != ' ') throw GiveUp{};
            item_line(p);
        }
    }

    // End (the ':') of a plain block key starting at p, or 0 when the line is no such key.
    std::size_t key_end(std::size_t p) const {
        if (is_indicator(t_[p])) return 0;
        for (std::size_t i = p; i < end_; ++i) {
            const char c = t_[i];
            if (c == ':' && (at(i + 1) == ' ' || at(i + 1) == '\n')) {
                if (t_[i - 1] == ' ' || i - p > 1000) return 0;
                return i;
            }
            if (c == '#' || c == '"' || c == '\'' || c == '[' || c == ']' || c == '{' || c == '}' ||
                static_cast<unsigned char>(c) >= 0x80)
                return 0;
        }
        return 0;
    }

    // `key: value`, `key:` (a nested block or null follows) at p, in the current map.
    void key_line(std::size_t p) {
        const std::size_t k = key_end(p);
        if (!k) throw GiveUp{};
        emit_scalar(p, t_.substr(p, k - p), true);
        std::size_t v = k + 1;
        while (v < end_ && t_[v] == ' ') ++v;
        if (v == end_ || t_[v] == '#') {
            pending_ = true;
            pending_column_ = stack_.back().column;
            return;
        }
        value(v);
    }

    // `- value` or `- key: value` (a map in the item) at p, in the current sequence.
    void item_line(std::size_t p) {
        std::size_t q = p + 1;
        while (q < end_ && t_[q] == ' ') ++q;
        if (q == end_ || t_[q] == '#' || t_[q] == '-') throw GiveUp{};
        if (key_end(q)) {
            emit(YamlEvent::Kind::map_start, q);
            stack_.push_back(Open{true, q - line_start_});
            key_line(q);
            return;
        }
        value(q);
    }

    // A value that ends its line (block context), then spaces and perhaps a comment.
    void value(std::size_t v) {
        std::size_t e = 0;
        const char c = t_[v];
        if (c == '{' || c == '[') {
            e = flow_collection(v);
        } else if (c == '"' || c == '\'') {
            e = quoted(v);
        } else {
            if (is_indicator(c) && !(c == '-' && (is_digit(at(v + 1)) || at(v + 1) == '.'))) throw GiveUp{};
            std::size_t i = v;
            std::size_t last = v;  // one past the last non-space character
            for (; i < end_; ++i) {
                const char x = t_[i];
                if (x == ' ') {
                    if (at(i + 1) == '#') break;
                    continue;
                }
                if (x == ':' && (at(i + 1) == ' ' || at(i + 1) == '\n')) throw GiveUp{};
                if (x == '[' || x == ']' || x == '{' || x == '}' || static_cast<unsigned char>(x) >= 0x80)
                    throw GiveUp{};
                last = i + 1;
            }
            emit_scalar(v, t_.substr(v, last - v), true);
            return;
        }
        std::size_t i = e;
        while (i < end_ && t_[i] == ' ') ++i;
        if (i == end_) return;
        if (t_[i] == '#' && i > e) return;
        throw GiveUp{};
    }

    // A quoted scalar on one line without escapes; returns the offset after it.
    std::size_t quoted(std::size_t v) {
        const char q = t_[v];
        for (std::size_t i = v + 1; i < end_; ++i) {
            const char x = t_[i];
            if (x == '\\' || static_cast<unsigned char>(x) >= 0x80) throw GiveUp{};
            if (x == q) {
                if (q == '\'' && at(i + 1) == '\'') throw GiveUp{};
                emit_scalar(v, t_.substr(v + 1, i - v - 1), false);
                return i + 1;
            }
        }
        throw GiveUp{};
    }

    std::size_t skip_spaces(std::size_t i) const {
        while (i < end_ && t_[i] == ' ') ++i;
        return i;
    }

    // A plain scalar inside a flow collection; returns the offset after it.
    std::size_t flow_plain(std::size_t v, bool key) {
        const char c = t_[v];
        if (is_indicator(c) && !(c == '-' && (is_digit(at(v + 1)) || at(v + 1) == '.'))) throw GiveUp{};
        std::size_t i = v, last = v;
        for (; i < end_; ++i) {
            const char x = t_[i];
            if (x == ',' || x == '}' || x == ']') break;
            if (x == ':') {
                if (key && t_[i - 1] != ' ') break;
                throw GiveUp{};
            }
            if (x == ' ') continue;
            if (x == '#' || x == '?' || x == '[' || x == '{' || x == '"' || x == '\'' ||
                static_cast<unsigned char>(x) >= 0x80)
                throw GiveUp{};
            last = i + 1;
        }
        if (last == v) throw GiveUp{};
        emit_scalar(v, t_.substr(v, last - v), true);
        return i;
    }

    std::size_t flow_value(std::size_t v) {
        const char c = at(v);
        if (c == '{' || c == '[') return flow_collection(v);
        if (c == '"' || c == '\'') return quoted(v);
        return flow_plain(v, false);
    }

    // `{key: value, ...}` or `[value, ...]` on one line; returns the offset after it.
    std::size_t flow_collection(std::size_t v) {
        if (++flow_depth_ > 64) throw GiveUp{};
        const bool map = t_[v] == '{';
        const char close = map ? '}' : ']';
        emit(map ? YamlEvent::Kind::map_start : YamlEvent::Kind::sequence_start, v);
        std::size_t i = skip_spaces(v + 1);
        if (at(i) == close) {
            push(YamlEvent{map ? YamlEvent::Kind::map_end : YamlEvent::Kind::sequence_end, {}, {}, true});
            --flow_depth_;
            return i + 1;
        }
        for (;;) {
            if (i >= end_) throw GiveUp{};
            if (map) {
                i = flow_plain(i, true);
                if (at(i) != ':' || at(i + 1) != ' ') throw GiveUp{};
                i = skip_spaces(i + 1);
                if (i >= end_ || t_[i] == ',' || t_[i] == '}' || t_[i] == ']') throw GiveUp{};
            }
            i = skip_spaces(flow_value(i));
            if (at(i) == close) break;
            if (at(i) != ',') throw GiveUp{};
            i = skip_spaces(i + 1);
            if (at(i) == close || at(i) == ',') throw GiveUp{};
        }
        push(YamlEvent{map ? YamlEvent::Kind::map_end : YamlEvent::Kind::sequence_end, {}, {}, true});
        --flow_depth_;
        return i + 1;
    }

    std::string_view t_;
    std::size_t max_events_;
    std::vector<YamlEvent> ev_;
    std::vector<Open> stack_;
    bool pending_ = false;            // a block key without a value on its line was read
    std::size_t pending_column_ = 0;  // the column of its map
    int line_ = 0;
    std::size_t line_start_ = 0;
    std::size_t end_ = 0;             // end of the current line
    int flow_depth_ = 0;
};

}  // namespace

std::optional<std::vector<YamlEvent>> fast_yaml_events(std::string_view text, std::size_t max_events) {
    try {
        return Reader(text, max_events).run();
    } catch (const GiveUp&) {
        return std::nullopt;
    }
}

void replay_yaml_events(const std::vector<YamlEvent>& events, YAML::EventHandler& handler) {
    handler.OnDocumentStart(YAML::Mark{});
    for (const auto& e : events) {
        switch (e.kind) {
        case YamlEvent::Kind::null: handler.OnNull(e.mark, YAML::NullAnchor); break;
        case YamlEvent::Kind::scalar: handler.OnScalar(e.mark, e.plain ? "?" : "!", YAML::NullAnchor, e.text); break;
        case YamlEvent::Kind::sequence_start:
            handler.OnSequenceStart(e.mark, "?", YAML::NullAnchor, YAML::EmitterStyle::Default);
            break;
        case YamlEvent::Kind::sequence_end: handler.OnSequenceEnd(); break;
        case YamlEvent::Kind::map_start: handler.OnMapStart(e.mark, "?", YAML::NullAnchor, YAML::EmitterStyle::Default); break;
        case YamlEvent::Kind::map_end: handler.OnMapEnd(); break;
        }
    }
    handler.OnDocumentEnd();
}

}  // namespace salesflow::input
