#include "calibrate/Mapping.hpp"

#include <algorithm>
#include <cctype>

#include "input/Diagnostics.hpp"
#include "input/InputError.hpp"
#include "input/Quantities.hpp"
#include "input/TextFile.hpp"
#include "input/TextUtil.hpp"
#include "input/YamlParser.hpp"

namespace salesflow::calibrate {

using input::ConfigNode;
using input::Diagnostics;
using input::lower;
using input::trim;

const char* shape_name(Shape s) {
    switch (s) {
        case Shape::stage_history: return "stage_history";
        case Shape::field_history: return "field_history";
        case Shape::deals: return "deals";
    }
    return "?";
}

namespace {

bool valid_name(const std::string& n) {
    if (n.empty() || n.size() > 100) return false;
    return std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

StageTarget::Kind outcome_kind(const std::string& v) {
    const std::string l = lower(v);
    if (l == "won") return StageTarget::Kind::won;
    if (l == "lost") return StageTarget::Kind::lost;
    if (l == "no_decision") return StageTarget::Kind::no_decision;
    if (l == "open") return StageTarget::Kind::open;
    if (l == "ignore") return StageTarget::Kind::ignore;
    return StageTarget::Kind::stage;
}

}  // namespace

std::string sanitise_name(const std::string& text) {
    std::string out;
    for (char c : trim(text)) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
        else if (c == '_' || c == '-') out.push_back(c);
        else if (!out.empty() && out.back() != '-') out.push_back('-');
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 100) out.resize(100);
    return out.empty() ? std::string("unnamed") : out;
}

Mapping default_mapping() {
    Mapping m;
    m.file = "(default mapping)";
    m.shape = Shape::stage_history;
    m.col_deal = "deal";
    m.col_stage = "stage";
    m.col_timestamp = "timestamp";
    m.learn_stages = true;
    for (const char* w : {"won", "closed won", "closedwon", "closed-won", "closed_won"}) m.values[w] = {StageTarget::Kind::won, -1};
    for (const char* l : {"lost", "closed lost", "closedlost", "closed-lost", "closed_lost"}) m.values[l] = {StageTarget::Kind::lost, -1};
    for (const char* n : {"no decision", "no_decision", "closed - no decision", "closed no decision"})
        m.values[n] = {StageTarget::Kind::no_decision, -1};
    return m;
}

const StageTarget* find_value(const Mapping& m, const std::string& value) {
    const std::string v = trim(value);
    if (auto it = m.values.find(v); it != m.values.end()) return &it->second;
    const std::string l = lower(v);
    for (const auto& [k, t] : m.values)
        if (lower(k) == l) return &t;
    return nullptr;
}

Mapping load_mapping(const std::string& path) {
    Diagnostics diags;
    std::string err;
    const auto text = input::read_text_file(path, 1 << 20, err);
    if (!text) {
        input::Diagnostic d;
        d.file = path;
        d.message = "cannot read the mapping: " + err;
        throw input::InputError({d});
    }
    const auto root = input::parse_yaml(*text, path, diags);
    diags.throw_if_any();
    if (!root) diags.throw_if_any();
    Mapping m;
    m.file = path;
    m.col_deal.clear();

    auto scalar = [&](const ConfigNode& n, const std::string& key) -> std::string {
        if (!n.is_scalar()) {
            diags.add(n.pos(), key, "must be text, got " + input::describe(n));
            return {};
        }
        return n.text();
    };
    const std::vector<std::string> top_keys = {"shape", "columns", "fields", "stages", "stage_order", "initial_stage",
                                               "sources", "default_source", "owner_role", "decimal", "date_order",
                                               "timezone", "reopen_window", "as_of", "name"};
    const std::vector<std::string> column_keys = {"deal", "stage", "timestamp", "amount", "owner", "source", "created",
                                                  "field", "old_value", "new_value", "closed", "outcome"};
    const std::vector<std::string> field_keys = {"stage", "amount", "owner", "source", "created"};
    std::vector<std::string> order_values;  // stage_order, if given
    const ConfigNode* stages_node = nullptr;
    for (const auto& e : root->entries()) {
        const std::string& k = e.key;
        const ConfigNode& v = e.value;
        if (std::find(top_keys.begin(), top_keys.end(), k) == top_keys.end()) {
            diags.add(e.key_pos, k, "unknown key '" + k + "'" + input::suggestion(k, top_keys));
            continue;
        }
        if (k == "shape") {
            const auto s = scalar(v, k);
            if (s == "stage_history") m.shape = Shape::stage_history;
            else if (s == "field_history") m.shape = Shape::field_history;
            else if (s == "deals") m.shape = Shape::deals;
            else if (!s.empty())
                diags.add(v.pos(), k, "unknown shape " + input::quote(s) +
                                          input::suggestion(s, {"stage_history", "field_history", "deals"}));
        } else if (k == "columns" || k == "fields") {
            if (!v.is_map()) {
                diags.add(v.pos(), k, "must be a map, got " + input::describe(v));
                continue;
            }
            const auto& allowed = k == "columns" ? column_keys : field_keys;
            for (const auto& c : v.entries()) {
                const std::string p = k + "." + c.key;
                if (std::find(allowed.begin(), allowed.end(), c.key) == allowed.end()) {
                    diags.add(c.key_pos, p, "unknown key '" + c.key + "'" + input::suggestion(c.key, allowed));
                    continue;
                }
                const std::string s = scalar(c.value, p);
                if (k == "columns") {
                    std::string* dst = c.key == "deal" ? &m.col_deal : c.key == "stage" ? &m.col_stage
                                     : c.key == "timestamp" ? &m.col_timestamp : c.key == "amount" ? &m.col_amount
                                     : c.key == "owner" ? &m.col_owner : c.key == "source" ? &m.col_source
                                     : c.key == "created" ? &m.col_created : c.key == "field" ? &m.col_field
                                     : c.key == "old_value" ? &m.col_old : c.key == "new_value" ? &m.col_new
                                     : c.key == "closed" ? &m.col_closed : &m.col_outcome;
                    *dst = s;
                } else {
                    std::string* dst = c.key == "stage" ? &m.field_stage : c.key == "amount" ? &m.field_amount
                                     : c.key == "owner" ? &m.field_owner : c.key == "source" ? &m.field_source
                                     : &m.field_created;
                    *dst = s;
                }
            }
        } else if (k == "stages") {
            stages_node = &v;
        } else if (k == "stage_order") {
            if (!v.is_sequence()) {
                diags.add(v.pos(), k, "must be a list of salesflow stage names, got " + input::describe(v));
                continue;
            }
            for (const auto& it : v.items()) {
                const auto s = scalar(it, k);
                if (!valid_name(s)) diags.add(it.pos(), k, "must be a name (letters, digits, - and _), got " + input::quote(s));
                else order_values.push_back(s);
            }
        } else if (k == "initial_stage") {
            m.initial_stage = scalar(v, k);
        } else if (k == "sources") {
            if (!v.is_map()) {
                diags.add(v.pos(), k, "must be a map of client source -> salesflow source name, got " + input::describe(v));
                continue;
            }
            for (const auto& c : v.entries()) {
                const auto s = scalar(c.value, "sources." + c.key);
                if (!valid_name(s)) diags.add(c.value.pos(), "sources." + c.key, "must be a name (letters, digits, - and _), got " + input::quote(s));
                m.sources[trim(c.key)] = s;
            }
        } else if (k == "default_source" || k == "owner_role" || k == "name") {
            const auto s = scalar(v, k);
            if (!valid_name(s)) diags.add(v.pos(), k, "must be a name (letters, digits, - and _), got " + input::quote(s));
            (k == "default_source" ? m.default_source : k == "owner_role" ? m.owner_role : m.scenario_name) = s;
        } else if (k == "decimal") {
            const auto s = scalar(v, k);
            if (s == "point") m.decimal = DecimalMark::point;
            else if (s == "comma") m.decimal = DecimalMark::comma;
            else diags.add(v.pos(), k, "must be 'point' or 'comma', got " + input::quote(s));
        } else if (k == "date_order") {
            const auto s = scalar(v, k);
            if (s == "ymd") m.date_order = DateOrder::ymd;
            else if (s == "mdy") m.date_order = DateOrder::mdy;
            else if (s == "dmy") m.date_order = DateOrder::dmy;
            else diags.add(v.pos(), k, "must be 'ymd', 'mdy' or 'dmy', got " + input::quote(s));
        } else if (k == "timezone") {
            const auto s = scalar(v, k);
            const auto t = parse_timestamp("1970-01-01T00:00" + s);
            if (!t) diags.add(v.pos(), k, "must be an offset from UTC such as '+01:00', '-0500' or 'Z', got " + input::quote(s));
            else m.default_offset_h = -*t;
        } else if (k == "reopen_window") {
            const auto s = scalar(v, k);
            try {
                m.reopen_window_h = input::parse_duration(s);
            } catch (const input::QuantityError& q) {
                diags.add(v.pos(), k, std::string(q.what()) + ", got " + input::quote(s));
            }
        } else if (k == "as_of") {
            const auto s = scalar(v, k);
            const auto t = parse_timestamp(s, m.date_order, m.default_offset_h);
            if (!t) diags.add(v.pos(), k, "must be a date or timestamp such as 2024-06-30T00:00Z, got " + input::quote(s));
            else m.as_of_h = t;
        }
    }
    // Stages: client value -> salesflow stage name or outcome.
    if (!stages_node) {
        diags.add(root->pos(), "stages", "required key 'stages' is missing (client stage name -> salesflow stage or won, lost, no_decision, open, ignore)");
    } else if (!stages_node->is_map()) {
        diags.add(stages_node->pos(), "stages", "must be a map of client stage name -> salesflow stage, got " + input::describe(*stages_node));
    } else {
        std::vector<std::string> order = order_values;
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const auto& c : stages_node->entries()) {
            const std::string p = "stages." + c.key;
            const auto s = scalar(c.value, p);
            if (s.empty()) continue;
            if (outcome_kind(s) == StageTarget::Kind::stage && !valid_name(s)) {
                diags.add(c.value.pos(), p, "must be a salesflow stage name or won, lost, no_decision, open, ignore, got " + input::quote(s));
                continue;
            }
            pairs.emplace_back(trim(c.key), s);
            if (outcome_kind(s) == StageTarget::Kind::stage && order_values.empty() &&
                std::find(order.begin(), order.end(), s) == order.end())
                order.push_back(s);
        }
        m.stages = order;
        for (const auto& [client, target] : pairs) {
            StageTarget t;
            t.kind = outcome_kind(target);
            if (t.kind == StageTarget::Kind::stage) {
                const auto it = std::find(order.begin(), order.end(), target);
                if (it == order.end()) {
                    const auto* e = stages_node->find_entry(client);
                    diags.add(e ? e->value.pos() : stages_node->pos(), "stages." + client,
                              "stage " + input::quote(target) + " is not in stage_order" + input::suggestion(target, order));
                    continue;
                }
                t.stage = static_cast<int>(it - order.begin());
            }
            m.values[client] = t;
        }
        if (order.empty() && m.shape != Shape::deals)
            diags.add(stages_node->pos(), "stages", "maps no value onto a salesflow stage: at least one stage is needed");
    }
    if (m.shape == Shape::deals && m.stages.empty()) m.stages = {"pipeline"};
    if (!m.initial_stage.empty() && std::find(m.stages.begin(), m.stages.end(), m.initial_stage) == m.stages.end())
        diags.add(root->find("initial_stage")->pos(), "initial_stage",
                  "not a salesflow stage of this mapping" + input::suggestion(m.initial_stage, m.stages));
    // Required columns per shape.
    auto need = [&](const std::string& col, const char* key) {
        if (col.empty()) diags.add(root->pos(), std::string("columns.") + key, std::string("required for shape '") + shape_name(m.shape) + "': the name of the export's column");
    };
    need(m.col_deal, "deal");
    if (m.shape == Shape::stage_history) { need(m.col_stage, "stage"); need(m.col_timestamp, "timestamp"); }
    if (m.shape == Shape::field_history) { need(m.col_field, "field"); need(m.col_new, "new_value"); need(m.col_timestamp, "timestamp"); }
    if (m.shape == Shape::deals) { need(m.col_created, "created"); need(m.col_closed, "closed"); need(m.col_outcome, "outcome"); }
    diags.throw_if_any();
    return m;
}

}  // namespace salesflow::calibrate
