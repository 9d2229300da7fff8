#include "calibrate/ExportScanner.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <queue>
#include <unordered_map>

#include "calibrate/CsvReader.hpp"
#include "input/Diagnostics.hpp"
#include "input/InputError.hpp"
#include "input/TextUtil.hpp"

namespace salesflow::calibrate {
using input::lower;
using input::trim;


namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t max_problems = 100;
constexpr std::size_t max_sources = 50;
constexpr std::size_t max_owners = 100000;

struct StopScan {};

enum class Closed : int { open = 0, won = 1, lost = 2, no_decision = 3 };

struct Deal {
    int first_line = 0;
    int first_column = 0;
    double created_h = nan;
    double last_t = -std::numeric_limits<double>::infinity();
    std::uint64_t last_hash = 0;
    int last_line = 0;
    int source = -1;
    int owner = -1;
    double amount = nan;
    int stage = -1;          // open stage, -1 none
    double entry_h = 0.0;    // entry into the open stage
    double carry_h = 0.0;    // time already spent in this visit before a close and reopening
    int max_stage = -1;
    Closed closed = Closed::open;
    double closed_h = 0.0;
    int pending_stage = -1;  // the visit that ended with the close, pushed when the deal is final
    double pending_h = 0.0;
    bool any_stage = false;  // a stage row or a creation row was seen
};

std::uint64_t hash_record(const CsvRecord& r) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const auto& f : r.fields) {
        for (char c : f.text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    return h;
}

class Scanner {
public:
    Scanner(const std::string& path, Mapping m) : path_(path), m_(std::move(m)), csv_(path) {
        data_.file = path;
        data_.shape = shape_name(m_.shape);
        for (const auto& s : m_.stages) add_stage(s);
    }

    ExportData run() {
        try {
            read_header();
            CsvRecord r;
            while (csv_.next(r)) row(r);
        } catch (const StopScan&) {
        }
        if (!diags_.empty()) {
            if (diags_.size() >= max_problems) {
                input::Diagnostic d;
                d.file = path_;
                d.message = "stopped reading after " + std::to_string(max_problems) + " problems";
                diags_.add(d);
            }
            diags_.throw_if_any();
        }
        finish();
        diags_.throw_if_any();
        return std::move(data_);
    }

private:
    void add_stage(const std::string& name) {
        StageData sd;
        sd.name = name;
        data_.stages.push_back(std::move(sd));
    }

    void problem(int line, int column, const std::string& col, const std::string& message) {
        input::Diagnostic d;
        d.file = path_;
        d.line = line;
        d.column = column;
        d.path = col;
        d.message = message;
        diags_.add(d);
        if (diags_.size() >= max_problems) throw StopScan{};
    }

    void read_header() {
        CsvRecord h;
        if (!csv_.next(h)) {
            input::Diagnostic d;
            d.file = path_;
            d.message = "the export is empty (expected a header row naming the columns)";
            throw input::InputError({d});
        }
        std::vector<std::string> names;
        for (const auto& f : h.fields) names.push_back(trim(f.text));
        header_size_ = names.size();
        auto find = [&](const std::string& want, const char* key) -> int {
            if (want.empty()) return -1;
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] == want) return static_cast<int>(i);
            for (std::size_t i = 0; i < names.size(); ++i)
                if (lower(names[i]) == lower(want)) return static_cast<int>(i);
            problem(h.line, 1, std::string("columns.") + key,
                    "the export has no column " + input::quote(want) + input::suggestion(want, names) +
                        (m_.learn_stages ? std::string(" (the default mapping's name: give --map MAPPING.yaml to name the columns)")
                                         : " (named in " + m_.file + ")"));
            return -1;
        };
        c_deal_ = find(m_.col_deal, "deal");
        c_stage_ = find(m_.col_stage, "stage");
        c_ts_ = find(m_.col_timestamp, "timestamp");
        c_amount_ = find(m_.col_amount, "amount");
        c_owner_ = find(m_.col_owner, "owner");
        c_source_ = find(m_.col_source, "source");
        c_created_ = find(m_.col_created, "created");
        c_field_ = find(m_.col_field, "field");
        c_old_ = find(m_.col_old, "old_value");
        c_new_ = find(m_.col_new, "new_value");
        c_closed_ = find(m_.col_closed, "closed");
        c_outcome_ = find(m_.col_outcome, "outcome");
        if (!diags_.empty()) diags_.throw_if_any();
        data_.has_owner = c_owner_ >= 0 || m_.shape == Shape::field_history;
        data_.has_amount = c_amount_ >= 0 || m_.shape == Shape::field_history;
        data_.has_source = c_source_ >= 0 || m_.shape == Shape::field_history;
    }

    std::optional<double> timestamp(const CsvField& f, const std::string& col) {
        const auto t = parse_timestamp(f.text, m_.date_order, m_.default_offset_h);
        if (!t) {
            problem(f.line, f.column, col, "cannot read the timestamp (expected e.g. 2024-03-05T14:02:11Z or 2024-03-05 14:02+01:00), got " + input::quote(f.text));
            return std::nullopt;
        }
        if (m_.as_of_h && *t > *m_.as_of_h) {
            problem(f.line, f.column, col, "is after the export date as_of of the mapping, got " + input::quote(f.text));
            return std::nullopt;
        }
        return t;
    }

    std::optional<double> amount(const CsvField& f, const std::string& col, bool& bad) {
        bad = false;
        const std::string t = trim(f.text);
        if (t.empty()) return std::nullopt;
        const auto a = parse_amount(t, m_.decimal);
        if (!a) {
            problem(f.line, f.column, col, std::string("cannot read the amount (decimal mark: ") +
                                               (m_.decimal == DecimalMark::point ? "point, e.g. $12,500.00" : "comma, e.g. EUR 12.500,00") +
                                               "), got " + input::quote(f.text));
            bad = true;
            return std::nullopt;
        }
        if (data_.currency.empty()) {
            std::string cur;
            for (char c : t)
                if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',' || c == ' ' || c == '\'')) cur.push_back(c);
            data_.currency = cur;
        }
        return a;
    }

    int source_index(const std::string& raw) {
        std::string name;
        const std::string t = trim(raw);
        if (t.empty()) name = m_.default_source;
        else if (auto it = m_.sources.find(t); it != m_.sources.end()) name = it->second;
        else name = sanitise_name(t);
        for (std::size_t i = 0; i < data_.sources.size(); ++i)
            if (data_.sources[i].name == name) return static_cast<int>(i);
        if (data_.sources.size() >= max_sources) {
            if (data_.notes.empty() || data_.notes.back().find("more than") == std::string::npos)
                data_.notes.push_back("more than " + std::to_string(max_sources) + " sources: the rest are pooled as 'other'");
            name = "other";
            for (std::size_t i = 0; i < data_.sources.size(); ++i)
                if (data_.sources[i].name == name) return static_cast<int>(i);
        }
        SourceData sd;
        sd.name = name;
        data_.sources.push_back(std::move(sd));
        return static_cast<int>(data_.sources.size() - 1);
    }

    int owner_index(const std::string& raw) {
        const std::string t = trim(raw);
        if (t.empty()) return -1;
        if (auto it = owner_ids_.find(t); it != owner_ids_.end()) return it->second;
        if (data_.owners.size() >= max_owners) return -1;
        data_.owners.push_back(t);
        owner_ids_.emplace(t, static_cast<int>(data_.owners.size() - 1));
        return static_cast<int>(data_.owners.size() - 1);
    }

    // The mapped meaning of a stage value; reports unknown values.
    const StageTarget* target(const CsvField& f, const std::string& col) {
        const std::string v = trim(f.text);
        if (v.empty()) {
            problem(f.line, f.column, col, "the stage is empty, got ''");
            return nullptr;
        }
        if (const auto* t = find_value(m_, v)) return t;
        if (m_.learn_stages) {
            StageTarget t;
            t.kind = StageTarget::Kind::stage;
            t.stage = static_cast<int>(m_.stages.size());
            std::string name = sanitise_name(v);
            while (std::find(m_.stages.begin(), m_.stages.end(), name) != m_.stages.end()) name += "-2";
            m_.stages.push_back(name);
            add_stage(name);
            return &(m_.values[v] = t);
        }
        std::vector<std::string> known;
        for (const auto& [k, _] : m_.values) known.push_back(k);
        problem(f.line, f.column, col, "stage " + input::quote(v) + " is not in the mapping" + input::suggestion(v, known) +
                                           " (add it under 'stages:' in " + m_.file + ")");
        return nullptr;
    }

    Deal& deal_for(const CsvRecord& r, bool& is_new) {
        const CsvField& f = r.fields[static_cast<std::size_t>(c_deal_)];
        auto [it, inserted] = active_.try_emplace(trim(f.text));
        is_new = inserted;
        if (inserted) {
            it->second.first_line = r.line;
            it->second.first_column = f.column;
            data_.max_open = std::max<std::int64_t>(data_.max_open, static_cast<std::int64_t>(active_.size()));
        }
        return it->second;
    }

    void row(const CsvRecord& r) {
        ++data_.rows;
        if (r.size() != header_size_) {
            problem(r.line, 1, "", "this row has " + std::to_string(r.size()) + " fields, the header has " +
                                       std::to_string(header_size_) + ", got " + input::quote(r.fields.empty() ? std::string() : r.fields[0].text));
            return;
        }
        const CsvField& idf = r.fields[static_cast<std::size_t>(c_deal_)];
        if (trim(idf.text).empty()) {
            problem(idf.line, idf.column, m_.col_deal, "the deal id is empty, got ''");
            return;
        }
        if (m_.shape == Shape::deals) {
            deal_row(r);
            return;
        }
        const CsvField& tsf = r.fields[static_cast<std::size_t>(c_ts_)];
        const auto ts = timestamp(tsf, m_.col_timestamp);
        if (!ts) return;
        data_.last_h = std::max(data_.last_h, *ts);
        bool is_new = false;
        Deal& d = deal_for(r, is_new);
        const std::string id = trim(idf.text);
        const std::uint64_t h = hash_record(r);
        if (!is_new && h == d.last_hash) {
            problem(r.line, 1, "", "duplicate row: the same as line " + std::to_string(d.last_line) + " of deal " + input::quote(id) +
                                       ", got " + input::quote(idf.text));
            return;
        }
        if (*ts < d.last_t) {
            problem(tsf.line, tsf.column, m_.col_timestamp,
                    "the history of deal " + input::quote(id) + " is out of time order: this row is earlier than line " +
                        std::to_string(d.last_line) + " (sort the export by deal and time, or by time), got " + input::quote(tsf.text));
            return;
        }
        d.last_hash = h;
        d.last_line = r.line;
        d.last_t = *ts;
        if (std::isnan(d.created_h)) d.created_h = *ts;
        if (c_created_ >= 0) {
            const CsvField& cf = r.fields[static_cast<std::size_t>(c_created_)];
            if (!trim(cf.text).empty()) {
                if (const auto c = timestamp(cf, m_.col_created)) d.created_h = std::min(d.created_h, *c);
            }
        }
        if (c_source_ >= 0) {
            const std::string s = trim(r.fields[static_cast<std::size_t>(c_source_)].text);
            if (!s.empty() || d.source < 0) d.source = source_index(s);
        }
        if (c_owner_ >= 0) {
            const int o = owner_index(r.fields[static_cast<std::size_t>(c_owner_)].text);
            if (o >= 0) d.owner = o;
        }
        if (c_amount_ >= 0) {
            bool bad = false;
            if (const auto a = amount(r.fields[static_cast<std::size_t>(c_amount_)], m_.col_amount, bad)) d.amount = *a;
        }
        if (m_.shape == Shape::stage_history) {
            const CsvField& sf = r.fields[static_cast<std::size_t>(c_stage_)];
            if (const auto* t = target(sf, m_.col_stage)) {
                ++data_.rows_used;
                apply(d, id, *t, *ts);
            }
        } else {
            field_row(r, d, id, *ts);
        }
        evict(*ts);
    }

    void field_row(const CsvRecord& r, Deal& d, const std::string& id, double ts) {
        const std::string field = trim(r.fields[static_cast<std::size_t>(c_field_)].text);
        const CsvField& nf = r.fields[static_cast<std::size_t>(c_new_)];
        if (field == m_.field_created) {
            ++data_.rows_used;
            if (d.stage < 0 && d.closed == Closed::open && !d.any_stage) {
                const int s0 = initial_stage();
                d.stage = s0;
                d.entry_h = d.created_h;
                d.max_stage = std::max(d.max_stage, s0);
            }
            d.any_stage = true;
        } else if (field == m_.field_stage) {
            ++data_.rows_used;
            if (!d.any_stage && c_old_ >= 0) {
                // The first stage change tells the stage the deal was created in.
                const CsvField& of = r.fields[static_cast<std::size_t>(c_old_)];
                if (!trim(of.text).empty()) {
                    if (const auto* t = target(of, m_.col_old); t && t->kind == StageTarget::Kind::stage) {
                        d.stage = t->stage;
                        d.entry_h = d.created_h;
                        d.max_stage = std::max(d.max_stage, t->stage);
                    }
                }
            } else if (d.any_stage && d.stage < 0 && d.closed == Closed::open) {
                d.stage = initial_stage();
                d.entry_h = d.created_h;
            }
            if (const auto* t = target(nf, m_.col_new)) apply(d, id, *t, ts);
        } else if (field == m_.field_amount) {
            ++data_.rows_used;
            bool bad = false;
            if (const auto a = amount(nf, m_.col_new + " (" + m_.field_amount + ")", bad)) d.amount = *a;
        } else if (field == m_.field_owner) {
            ++data_.rows_used;
            const int o = owner_index(nf.text);
            if (o >= 0) d.owner = o;
        } else if (field == m_.field_source) {
            ++data_.rows_used;
            d.source = source_index(nf.text);
        }
    }

    int initial_stage() const {
        if (m_.initial_stage.empty()) return 0;
        return static_cast<int>(std::find(m_.stages.begin(), m_.stages.end(), m_.initial_stage) - m_.stages.begin());
    }

    // A stage or outcome entered at `ts`.
    void apply(Deal& d, const std::string& id, const StageTarget& t, double ts) {
        using K = StageTarget::Kind;
        if (t.kind == K::ignore || t.kind == K::open) return;
        d.any_stage = true;
        if (t.kind == K::stage) {
            const int s = t.stage;
            if (d.closed != Closed::open) {
                ++data_.reopened;
                d.closed = Closed::open;
                if (d.pending_stage == s) {
                    d.carry_h = d.pending_h;   // the visit goes on: the closed gap is not counted
                } else {
                    if (d.pending_stage >= 0) push_complete(d.pending_stage, d.pending_h);
                    d.carry_h = 0.0;
                }
                d.pending_stage = -1;
                d.stage = s;
                d.entry_h = ts;
            } else if (d.stage == s) {
                return;
            } else if (d.stage >= 0) {
                push_complete(d.stage, ts - d.entry_h + d.carry_h);
                if (s < d.stage) ++data_.rework;
                d.carry_h = 0.0;
                d.stage = s;
                d.entry_h = ts;
            } else {
                d.stage = s;
                d.entry_h = std::min(ts, d.created_h);
            }
            d.max_stage = std::max(d.max_stage, s);
            return;
        }
        const Closed k = t.kind == K::won ? Closed::won : t.kind == K::lost ? Closed::lost : Closed::no_decision;
        if (d.closed == Closed::open) {
            if (d.stage >= 0) {
                d.pending_stage = d.stage;
                d.pending_h = ts - d.entry_h + d.carry_h;
            }
            d.stage = -1;
            d.carry_h = 0.0;
            d.closed_h = ts;
            closing_.push({ts + m_.reopen_window_h, id});
        }
        d.closed = k;
    }

    void push_complete(int s, double t_h) {
        auto& st = data_.stages[static_cast<std::size_t>(s)];
        st.times.add(Duration{std::max(t_h, 0.0), false});
        ++st.complete;
        st.complete_sum_h += std::max(t_h, 0.0);
    }

    void evict(double now) {
        while (!closing_.empty() && closing_.top().first < now) {
            const auto [when, id] = closing_.top();
            closing_.pop();
            auto it = active_.find(id);
            if (it == active_.end() || it->second.closed == Closed::open ||
                it->second.closed_h + m_.reopen_window_h != when)
                continue;
            finalise(it->second, id);
            active_.erase(it);
        }
    }

    void deal_row(const CsvRecord& r) {
        const std::string id = trim(r.fields[static_cast<std::size_t>(c_deal_)].text);
        const std::uint64_t h = hash_record(r);
        if (h == prev_hash_) {
            problem(r.line, 1, "", "duplicate row: the same as line " + std::to_string(prev_line_) + ", got " + input::quote(id));
            return;
        }
        prev_hash_ = h;
        prev_line_ = r.line;
        const CsvField& cf = r.fields[static_cast<std::size_t>(c_created_)];
        const auto created = timestamp(cf, m_.col_created);
        const CsvField& xf = r.fields[static_cast<std::size_t>(c_closed_)];
        std::optional<double> closed;
        if (!trim(xf.text).empty()) closed = timestamp(xf, m_.col_closed);
        const CsvField& of = r.fields[static_cast<std::size_t>(c_outcome_)];
        StageTarget t{StageTarget::Kind::open, -1};
        if (!trim(of.text).empty()) {
            const auto* tt = find_value(m_, of.text);
            if (!tt) {
                std::vector<std::string> known;
                for (const auto& [k, _] : m_.values) known.push_back(k);
                problem(of.line, of.column, m_.col_outcome, "outcome " + input::quote(trim(of.text)) + " is not in the mapping" +
                                                               input::suggestion(trim(of.text), known));
                return;
            }
            t = *tt;
        }
        if (!created || (!trim(xf.text).empty() && !closed)) return;
        const bool is_closed = t.kind == StageTarget::Kind::won || t.kind == StageTarget::Kind::lost || t.kind == StageTarget::Kind::no_decision;
        if (is_closed && !closed) {
            problem(xf.line, xf.column, m_.col_closed, "deal " + input::quote(id) + " has an outcome but no close date, got ''");
            return;
        }
        if (closed && *closed < *created) {
            problem(xf.line, xf.column, m_.col_closed, "deal " + input::quote(id) + " closes before it was created, got " + input::quote(xf.text));
            return;
        }
        bool is_new = false;
        Deal& d = deal_for(r, is_new);
        if (!is_new) {
            problem(r.line, 1, "", "deal " + input::quote(id) + " appears twice (first on line " + std::to_string(d.first_line) +
                                       "): a deals list has one row per deal, got " + input::quote(id));
            return;
        }
        ++data_.rows_used;
        d.created_h = *created;
        d.any_stage = true;
        data_.last_h = std::max({data_.last_h, *created, closed.value_or(*created)});
        if (c_source_ >= 0) d.source = source_index(r.fields[static_cast<std::size_t>(c_source_)].text);
        if (c_owner_ >= 0) d.owner = owner_index(r.fields[static_cast<std::size_t>(c_owner_)].text);
        if (c_amount_ >= 0) {
            bool bad = false;
            if (const auto a = amount(r.fields[static_cast<std::size_t>(c_amount_)], m_.col_amount, bad)) d.amount = *a;
        }
        d.stage = 0;
        d.max_stage = 0;
        d.entry_h = *created;
        if (is_closed) {
            apply(d, id, t, *closed);
            finalise(d, id);
            active_.erase(id);
        }
    }

    // The deal's fate goes into the counts; it is forgotten afterwards.
    void finalise(Deal& d, const std::string& id) {
        if (!d.any_stage && m_.shape == Shape::field_history) {
            problem(d.first_line, d.first_column, m_.col_deal,
                    "deal " + input::quote(id) + " has no stage: no '" + m_.field_stage + "' row and no '" + m_.field_created +
                        "' row, got " + input::quote(id));
            return;
        }
        if (d.source < 0) d.source = source_index("");
        auto& src = data_.sources[static_cast<std::size_t>(d.source)];
        ++data_.deals;
        ++src.deals;
        src.by_month[month_index(d.created_h)] += 1;
        data_.first_h = data_.deals == 1 ? d.created_h : std::min(data_.first_h, d.created_h);
        const int nst = static_cast<int>(data_.stages.size());
        if (d.closed != Closed::open) {
            // A deals list has one stage for the whole cycle: its time is fitted on the won deals
            // (and the open ones, censored), since the model gives every outcome the same time in a stage.
            if (d.pending_stage >= 0 && (m_.shape != Shape::deals || d.closed == Closed::won)) push_complete(d.pending_stage, d.pending_h);
            if (d.max_stage < 0) ++data_.closed_without_stage;
            if (d.closed == Closed::won) {
                for (int s = 0; s < nst; ++s) {
                    ++data_.stages[static_cast<std::size_t>(s)].passed;
                    if (s > d.max_stage) ++data_.stages[static_cast<std::size_t>(s)].skipped;
                }
                ++src.won;
                data_.won_cycle_h.add(std::max(0.0, d.closed_h - d.created_h));
                if (!std::isnan(d.amount)) src.won_values.add(d.amount);
                else ++src.won_without_amount;
            } else if (d.max_stage >= 0) {
                for (int s = 0; s < d.max_stage; ++s) ++data_.stages[static_cast<std::size_t>(s)].passed;
                auto& st = data_.stages[static_cast<std::size_t>(d.max_stage)];
                (d.closed == Closed::lost ? st.lost : st.no_decision) += 1;
            }
            if (d.closed == Closed::lost) ++src.lost;
            if (d.closed == Closed::no_decision) ++src.no_decision;
        } else {
            ++src.open;
            if (d.max_stage >= 0) {
                for (int s = 0; s < d.max_stage; ++s) ++data_.stages[static_cast<std::size_t>(s)].passed;
                ++data_.stages[static_cast<std::size_t>(d.max_stage)].open;
            }
            if (d.stage >= 0) {
                auto& st = data_.stages[static_cast<std::size_t>(d.stage)];
                st.times.add(Duration{std::max(0.0, as_of_ - d.entry_h + d.carry_h), true});
                ++st.censored;
            }
        }
        if (d.owner >= 0) {
            const double end = d.closed != Closed::open ? d.closed_h : as_of_;
            for (long long mo = month_index(d.created_h); mo <= month_index(std::max(end, d.created_h)); ++mo)
                data_.owner_months.insert({mo, d.owner});
        }
    }

    void finish() {
        as_of_ = m_.as_of_h.value_or(data_.last_h);
        data_.as_of_h = as_of_;
        // Closed deals whose reopen window has not passed, then the open deals (censored).
        for (auto& [id, d] : active_) {
            if (d.closed == Closed::open && d.stage < 0 && m_.shape == Shape::field_history && d.any_stage) {
                d.stage = initial_stage();
                d.entry_h = d.created_h;
                d.max_stage = std::max(d.max_stage, d.stage);
            }
        }
        // Finalise in first-line order so that the result does not depend on hashing.
        std::vector<std::pair<int, const std::string*>> order;
        for (auto& [id, d] : active_) order.emplace_back(d.first_line, &id);
        std::sort(order.begin(), order.end());
        for (const auto& [line, id] : order) finalise(active_.at(*id), *id);
        active_.clear();
        m_.stages.resize(m_.stages.size());
    }

    std::string path_;
    Mapping m_;
    CsvReader csv_;
    ExportData data_;
    input::Diagnostics diags_;
    std::size_t header_size_ = 0;
    int c_deal_ = -1, c_stage_ = -1, c_ts_ = -1, c_amount_ = -1, c_owner_ = -1, c_source_ = -1, c_created_ = -1;
    int c_field_ = -1, c_old_ = -1, c_new_ = -1, c_closed_ = -1, c_outcome_ = -1;
    std::unordered_map<std::string, Deal> active_;
    std::unordered_map<std::string, int> owner_ids_;
    std::priority_queue<std::pair<double, std::string>, std::vector<std::pair<double, std::string>>, std::greater<>> closing_;
    std::uint64_t prev_hash_ = 0;
    int prev_line_ = 0;
    double as_of_ = 0.0;
};

}  // namespace

ExportData scan_export(const std::string& path, Mapping mapping) {
    Scanner s(path, std::move(mapping));
    return s.run();
}

}  // namespace salesflow::calibrate
