#pragma once
// Mapping: how to read one CRM export: its shape, which column holds what, and how the
// client's stage (or outcome) names map onto salesflow stages and outcomes. Read from a
// YAML file (`--map`, docs/calibrate.md "Mapping files") or the built-in default.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/FieldParse.hpp"

namespace salesflow::calibrate {

enum class Shape {
    stage_history,   // one row per stage entered: deal, stage, timestamp (HubSpot-like)
    field_history,   // one row per field change: deal, field, old, new, timestamp (Salesforce-like)
    deals            // one row per deal: created, closed, outcome (a plain deals list)
};
const char* shape_name(Shape s);

// What a client stage or outcome value means.
struct StageTarget {
    enum class Kind { stage, won, lost, no_decision, open, ignore } kind = Kind::stage;
    int stage = -1;   // index into Mapping::stages when kind == stage
};

struct Mapping {
    std::string file;                      // where it was read from ("(default)" built in)
    Shape shape = Shape::stage_history;
    // Column names (header texts). Empty: not present in the export.
    std::string col_deal, col_stage, col_timestamp, col_amount, col_owner, col_source, col_created;
    std::string col_field, col_old, col_new;   // field_history
    std::string col_closed, col_outcome;       // deals
    // field_history: the Field values that carry stage, amount, owner, source, creation.
    std::string field_stage = "StageName", field_amount = "Amount", field_owner = "Owner",
                field_source = "LeadSource", field_created = "created";
    // Salesflow stages in process order, and the client's values mapped onto them.
    std::vector<std::string> stages;
    std::map<std::string, StageTarget> values;   // client value (trimmed) -> target
    bool learn_stages = false;                   // default mapping: unknown values become stages in order of appearance
    std::string initial_stage;                   // field_history: stage of a deal before its first stage change
    std::map<std::string, std::string> sources;  // client source value -> salesflow source name
    std::string default_source = "all";          // when there is no source column or the cell is empty
    std::string owner_role = "seller";           // the role whose headcount the deal owners give
    DecimalMark decimal = DecimalMark::point;
    DateOrder date_order = DateOrder::ymd;
    double default_offset_h = 0.0;               // time zone of timestamps written without one
    double reopen_window_h = 90 * 24.0;          // a closed deal is kept this long for a reopening
    std::optional<double> as_of_h;               // export date (hours since epoch); default: last timestamp
    std::string scenario_name;                   // name of the written scenario; default from -o
};

// The built-in default: stage_history with columns deal, stage, timestamp and optional
// amount, owner, source; stage values become stages in order of first appearance, except
// the outcome values (won, closed won, lost, closed lost, no decision, ...).
Mapping default_mapping();

// Reads a mapping file; throws input::InputError (FILE:LINE:COLUMN: key: reason).
Mapping load_mapping(const std::string& path);

// The target of a client value (trimmed; exact, then case-insensitive); nullptr if unmapped.
const StageTarget* find_value(const Mapping& m, const std::string& value);

// Valid salesflow name from client text: lower case, spaces and other characters to '-'.
std::string sanitise_name(const std::string& text);

}  // namespace salesflow::calibrate
