#include "input/TraceReader.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <string_view>

#include "input/Quantities.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"

namespace salesflow::input {
namespace {

constexpr std::size_t max_trace_bytes = std::size_t{256} << 20;

struct Field {
    std::string text;
    int column = 0;  // 1-based byte column where the field starts
};

// Splits one CSV line (RFC 4180 quoting: "a ""b""", c). Returns false with the column of
// the opening quote when a quoted field is not closed on this line.
bool split_csv(std::string_view line, std::vector<Field>& out, int& bad_column) {
    out.clear();
    std::size_t i = 0;
    while (true) {
        Field f;
        f.column = static_cast<int>(i) + 1;
        // Leading blanks are not part of the value; a quote may follow them.
        std::size_t j = i;
        while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
        if (j < line.size() && line[j] == '"') {
            const std::size_t open = j;
            ++j;
            bool closed = false;
            while (j < line.size()) {
                if (line[j] == '"') {
                    if (j + 1 < line.size() && line[j + 1] == '"') {
                        f.text += '"';
                        j += 2;
                        continue;
                    }
                    closed = true;
                    ++j;
                    break;
                }
                f.text += line[j++];
            }
            if (!closed) {
                bad_column = static_cast<int>(open) + 1;
                return false;
            }
            while (j < line.size() && line[j] != ',') ++j;  // text after the closing quote is ignored
        } else {
            while (j < line.size() && line[j] != ',') f.text += line[j++];
            while (!f.text.empty() && (f.text.back() == ' ' || f.text.back() == '\t')) f.text.pop_back();
        }
        out.push_back(std::move(f));
        if (j >= line.size()) return true;
        i = j + 1;  // past the comma
    }
}

}  // namespace

namespace {

// Traces already read, by file identity: a sweep builds its scenario once per point, and
// a trace of millions of rows must be parsed once, not once per point.
struct CacheKey {
    std::string canonical;
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const CacheKey&) const = default;
};

struct Cache {
    static constexpr std::size_t max_entries = 8;
    std::mutex mutex;
    std::deque<std::pair<CacheKey, std::shared_ptr<const std::vector<model::TraceLead>>>> entries;  // newest last
    std::size_t parses = 0;
};

Cache& cache() {
    static Cache c;
    return c;
}

std::optional<CacheKey> trace_identity(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(path, ec);
    if (ec) return std::nullopt;
    return CacheKey{canonical.string(), st.st_dev, st.st_ino, st.st_size,
                    static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

std::optional<std::vector<model::TraceLead>> parse_trace(const std::string& csv_path, const std::string& key_path,
                                                         const Position& where, Diagnostics& diags);

}  // namespace

std::size_t trace_parses() {
    Cache& c = cache();
    const std::lock_guard<std::mutex> lock(c.mutex);
    return c.parses;
}

std::optional<std::vector<model::TraceLead>> read_trace(const std::string& csv_path, const std::string& key_path,
                                                        const Position& where, Diagnostics& diags) {
    const auto key = trace_identity(csv_path);
    Cache& c = cache();
    if (key) {
        const std::lock_guard<std::mutex> lock(c.mutex);
        for (const auto& [k, leads] : c.entries)
            if (k == *key) return *leads;
    }
    auto leads = parse_trace(csv_path, key_path, where, diags);
    const std::lock_guard<std::mutex> lock(c.mutex);
    ++c.parses;
    // Only a trace read without problems is kept, and only if the file did not change
    // while it was read.
    if (leads && key && trace_identity(csv_path) == key) {
        c.entries.emplace_back(*key, std::make_shared<const std::vector<model::TraceLead>>(*leads));
        if (c.entries.size() > Cache::max_entries) c.entries.pop_front();
    }
    return leads;
}

namespace {

std::optional<std::vector<model::TraceLead>> parse_trace(const std::string& csv_path, const std::string& key_path,
                                                         const Position& where, Diagnostics& diags) {
    std::string error;
    const auto content = read_text_file(csv_path, max_trace_bytes, error);
    if (!content) {
        diags.add(where, key_path, "trace " + quote(csv_path) + ": " + error);
        return std::nullopt;
    }
    std::string normalized = *content;
    // Lone CR line ends (old Mac exports) become LF; CRLF is handled per line below.
    for (std::size_t i = 0; i < normalized.size(); ++i)
        if (normalized[i] == '\r' && (i + 1 == normalized.size() || normalized[i + 1] != '\n')) normalized[i] = '\n';
    std::string_view text = normalized;
    if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);

    const std::size_t before = diags.size();
    auto at = [&](int line, int column) { return Position{csv_path, line, column}; };
    const std::vector<std::string> known{"arrival", "quality", "value"};
    int col_arrival = -1, col_quality = -1, col_value = -1;
    std::size_t header_fields = 0;
    bool have_header = false;
    int header_line = 0;
    std::vector<model::TraceLead> leads;
    double previous = 0.0;
    int previous_line = 0;
    std::vector<Field> fields;

    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::size_t first = 0;
        while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
        if (first == line.size() || line[first] == '#') {
            continue;
        }
        int bad_column = 0;
        if (!split_csv(line, fields, bad_column)) {
            diags.add(at(line_no, bad_column), key_path, "a quoted field is not closed on its line");
            continue;
        }
        if (!have_header) {
            have_header = true;
            header_line = line_no;
            header_fields = fields.size();
            for (std::size_t c = 0; c < fields.size(); ++c) {
                const std::string& name = fields[c].text;
                int* slot = name == "arrival" ? &col_arrival : name == "quality" ? &col_quality : name == "value" ? &col_value : nullptr;
                if (!slot) {
                    diags.add(at(line_no, fields[c].column), key_path,
                              "unknown column " + quote(name) + " in the header row" + suggestion(name, known));
                } else if (*slot >= 0) {
                    diags.add(at(line_no, fields[c].column), key_path, "column " + quote(name) + " appears twice in the header row");
                } else {
                    *slot = static_cast<int>(c);
                }
            }
            if (col_arrival < 0) {
                diags.add(at(line_no, 1), key_path,
                          "the header row must name an 'arrival' column (and optionally 'quality' and 'value'), got " +
                              quote(line));
                return std::nullopt;  // without arrivals the rows cannot be read at all
            }
            continue;
        }
        if (fields.size() != header_fields) {
            diags.add(at(line_no, 1), key_path,
                      "row has " + std::to_string(fields.size()) + " fields but the header has " +
                          std::to_string(header_fields) + ", got " + quote(line));
            continue;
        }
        model::TraceLead lead;
        bool ok = true;          // the arrival cell is readable
        bool cells_ok = true;    // so are the other cells
        const Field& a = fields[static_cast<std::size_t>(col_arrival)];
        try {
            lead.arrival_h = parse_duration(a.text);
        } catch (const QuantityError& e) {
            diags.add(at(line_no, a.column), key_path, "arrival " + std::string(e.what()) + ", got " + quote(a.text));
            ok = false;
        }
        auto optional_number = [&](int col, const char* what, double hi) -> std::optional<double> {
            if (col < 0) return std::nullopt;
            const Field& f = fields[static_cast<std::size_t>(col)];
            if (f.text.empty()) return std::nullopt;
            double v = 0.0;
            bool parsed = false;
            try {
                parsed = try_parse_number(f.text, v);
            } catch (const QuantityError&) {
                parsed = false;
            }
            if (!parsed || v < 0.0 || v > hi) {
                diags.add(at(line_no, f.column), key_path,
                          std::string(what) + (hi <= 1.0 ? " must be a number in [0, 1] or empty" : " must be a number in [0, 1e+15] or empty") +
                              ", got " + quote(f.text));
                cells_ok = false;
                return std::nullopt;
            }
            return v;
        };
        lead.quality = optional_number(col_quality, "quality", 1.0);
        lead.value = optional_number(col_value, "value", 1e15);  // DistributionLimits::max_value
        const bool arrival_ok = previous_line == 0 || lead.arrival_h >= previous;
        if (!arrival_ok && ok) {
            diags.add(at(line_no, a.column), key_path,
                      "rows must be sorted by arrival: " + quote(a.text) + " comes after " + format_number(previous) +
                          " h on line " + std::to_string(previous_line));
        }
        if (ok) {
            // Keep the order check going past rows with other bad cells.
            previous = lead.arrival_h;
            previous_line = line_no;
        }
        if (ok && cells_ok && arrival_ok) leads.push_back(lead);
    }
    if (diags.size() != before) return std::nullopt;
    if (!have_header) {
        diags.add(at(1, 1), key_path, "the trace is empty; expected a header row naming an 'arrival' column, then one row per lead");
        return std::nullopt;
    }
    if (leads.empty()) {
        diags.add(at(header_line, 1), key_path, "the trace has a header row but no leads");
        return std::nullopt;
    }
    return leads;
}

}  // namespace

}  // namespace salesflow::input
