#include <doctest/doctest.h>

#include <filesystem>

#include "AppTestSupport.hpp"

namespace t = salesflow::test;
namespace fs = std::filesystem;

namespace {

const char* map_hub = R"(shape: stage_history
columns: {deal: Deal ID, stage: Deal Stage, timestamp: Stage Entered, amount: Amount}
stages: {Qualify: qualify, Propose: propose, Closed Won: won, Closed Lost: lost}
)";

const char* map_sf = R"(shape: field_history
columns: {deal: OpportunityId, field: Field, old_value: OldValue, new_value: NewValue, timestamp: CreatedDate}
stages: {Qualify: qualify, Propose: propose, Closed Won: won, Closed Lost: lost}
)";

// Runs calibrate on `csv` with mapping text `map` (empty: the default mapping); checks
// exit status 2, the exact message, and that an existing output file is left as it was.
void expect_refused(const std::string& name, const std::string& csv, const std::string& map, const std::string& message) {
    const auto dir = t::scratch("calibrate-bad-" + name);
    t::write_file(dir / "e.csv", csv);
    std::string args = "calibrate e.csv -o out.yaml";
    if (!map.empty()) {
        t::write_file(dir / "m.yaml", map);
        args += " --map m.yaml";
    }
    t::write_file(dir / "out.yaml", "precious\n");
    const auto o = t::run_salesflow(args, dir);
    CAPTURE(o.out);
    CHECK(o.status == 2);
    CHECK(o.out == message + "\n");
    CHECK(t::read_file(dir / "out.yaml") == "precious\n");
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir)) files += e.path().filename().string().rfind(".out.yaml", 0) == 0;
    CHECK(files == 0);   // no temporary left behind
}

}  // namespace

TEST_CASE("calibrate refuses a misnamed column and suggests the nearest header") {
    expect_refused("column", "deal,stage,timestmp\n1,Qualify,2024-01-01\n", "",
                   "e.csv:1:1: columns.timestamp: the export has no column 'timestamp' (did you mean 'timestmp'?) "
                   "(the default mapping's name: give --map MAPPING.yaml to name the columns)");
    expect_refused("column-map", "Deal ID,Stage,Stage Entered,Amount\n1,Qualify,2024-01-01,5\n", map_hub,
                   "e.csv:1:1: columns.stage: the export has no column 'Deal Stage' (expected one of: Deal ID, Stage, Stage Entered, Amount) (named in m.yaml)");
}

TEST_CASE("calibrate refuses unparseable dates and amounts at their row and column") {
    expect_refused("date", "deal,stage,timestamp\n1,Qualify,2024-01-01\n1,Propose,2024-13-45T00:00Z\n", "",
                   "e.csv:3:11: timestamp: cannot read the timestamp (expected e.g. 2024-03-05T14:02:11Z or 2024-03-05 14:02+01:00), "
                   "got '2024-13-45T00:00Z'");
    expect_refused("amount", "Deal ID,Deal Stage,Stage Entered,Amount\n1,Qualify,2024-01-01,\"$12,50.00\"\n", map_hub,
                   "e.csv:2:22: Amount: cannot read the amount (decimal mark: point, e.g. $12,500.00), got '$12,50.00'");
}

TEST_CASE("calibrate refuses a history out of time order, duplicate rows and a deal with no stages") {
    expect_refused("order", "deal,stage,timestamp\n7,Qualify,2024-01-05\n7,Propose,2024-01-03\n", "",
                   "e.csv:3:11: timestamp: the history of deal '7' is out of time order: this row is earlier than line 2 "
                   "(sort the export by deal and time, or by time), got '2024-01-03'");
    expect_refused("duplicate", "deal,stage,timestamp\n7,Qualify,2024-01-05\n7,Qualify,2024-01-05\n", "",
                   "e.csv:3:1: duplicate row: the same as line 2 of deal '7', got '7'");
    expect_refused("nostage",
                   "OpportunityId,Field,OldValue,NewValue,CreatedDate\n"
                   "A,created,,,2024-01-01T00:00:00Z\nA,StageName,Qualify,Closed Won,2024-02-01T00:00:00Z\n"
                   "B,Amount,,500,2024-01-02T00:00:00Z\n",
                   map_sf, "e.csv:4:1: OpportunityId: deal 'B' has no stage: no 'StageName' row and no 'created' row, got 'B'");
    expect_refused("stage", "deal,stage,timestamp\n1,Qualfy,2024-01-01\n", std::string(
                   "shape: stage_history\ncolumns: {deal: deal, stage: stage, timestamp: timestamp}\nstages: {Qualify: qualify, Closed Won: won}\n"),
                   "e.csv:2:3: stage: stage 'Qualfy' is not in the mapping (did you mean 'Qualify'?) (add it under 'stages:' in m.yaml)");
}

TEST_CASE("calibrate refuses an export with too few deals, and keeps defaults (as assumptions) for keys with too few") {
    expect_refused("fewdeals", "deal,stage,timestamp\n1,Qualify,2024-01-01\n1,won,2024-01-09\n", "",
                   "e.csv: too few deals to calibrate anything: 1 (at least 2 needed)");

    // Twelve deals, only three reach 'propose': conversions of 'propose' and its time keep defaults.
    std::string csv = "deal,stage,timestamp\n";
    for (int i = 0; i < 12; ++i) {
        const std::string d = std::to_string(10 + i);
        csv += d + ",Qualify,2024-01-" + d + "T09:00Z\n";
        if (i < 3) csv += d + ",Propose,2024-01-" + d + "T15:00Z\n" + d + ",won,2024-02-" + d + "T00:00Z\n";
        else csv += d + ",lost,2024-01-" + d + "T12:00Z\n";
    }
    const auto dir = t::scratch("calibrate-fewkeys");
    t::write_file(dir / "e.csv", csv);
    const auto o = t::run_salesflow("calibrate e.csv -o out.yaml --check-replications 5", dir);
    CAPTURE(o.out);
    CHECK(o.status == 0);
    CHECK(o.out.find("note: stages.propose.advance: too few deals decided at this stage to estimate the conversion (n = 3 < 10): "
                     "the raw share is kept, marked as an assumption") != std::string::npos);
    CHECK(o.out.find("note: stages.propose: too few complete visits to fit the time in stage (n = 3 < 10): the default 1 week") !=
          std::string::npos);
    const auto y = t::read_file(dir / "out.yaml");
    CHECK(y.find("#   - {path: calibrate.stage_time.propose, value: 168, min: 24, max: 720, unit: h") != std::string::npos);
    CHECK(y.find("advance: 0.25   # conversion 0.25 [0.0549, 0.572], n = 12 decided") != std::string::npos);
    // It loads as it is.
    CHECK(t::run_salesflow("validate out.yaml", dir).status == 0);
}
