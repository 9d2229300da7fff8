#pragma once
// ExportData: what one pass over a CRM export leaves behind: counts and bounded samples,
// never the rows. Built by ExportScanner, read by Estimates. Times in hours since
// 1970-01-01T00:00Z; durations in hours.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "calibrate/Reservoir.hpp"

namespace salesflow::calibrate {

struct Duration {
    double t_h = 0.0;
    bool censored = false;   // the deal was still in the stage at the export date
};

struct StageData {
    std::string name;
    Reservoir<Duration> times{20000, 11};   // one item per visit (a reopened visit continues)
    std::int64_t complete = 0, censored = 0;
    double complete_sum_h = 0.0;             // sum of the complete visits (the naive mean's numerator)
    // Fate of deals at this stage (a deal that reached stage m passed every stage before m).
    std::int64_t passed = 0, lost = 0, no_decision = 0, open = 0;
    std::int64_t skipped = 0;                // passed without a row of its own (jumped over)
};

struct SourceData {
    std::string name;
    std::int64_t deals = 0, won = 0, lost = 0, no_decision = 0, open = 0;
    std::map<long long, std::int64_t> by_month;   // month index (year*12 + month-1) of creation -> deals
    Reservoir<double> won_values{20000, 13};      // amounts of won deals
    std::int64_t won_without_amount = 0;
};

struct ExportData {
    std::string file;
    std::string shape;
    std::int64_t rows = 0;       // data rows read (header excluded)
    std::int64_t rows_used = 0;  // rows that told something (stage rows, field rows of known fields)
    std::int64_t deals = 0;
    double first_h = 0.0;        // earliest creation
    double last_h = 0.0;         // latest timestamp in the file
    double as_of_h = 0.0;        // export date: open deals are censored here
    std::vector<StageData> stages;
    std::vector<SourceData> sources;
    std::int64_t reopened = 0;             // deals that left a closed outcome for an open stage
    std::int64_t rework = 0;               // moves back to an earlier stage
    std::int64_t closed_without_stage = 0; // deals whose first row is already an outcome
    std::int64_t max_open = 0;             // most deals held in memory at once
    Reservoir<double> won_cycle_h{20000, 17};  // creation -> won, hours
    std::vector<std::string> owners;           // distinct owners (at most 100,000)
    std::set<std::pair<long long, int>> owner_months;   // (month index, owner) with an open deal owned
    bool has_owner = false, has_amount = false, has_source = false;
    std::string currency;                    // first currency text seen in an amount ("$", "EUR", ...)
    std::vector<std::string> notes;          // warnings for the user
};

}  // namespace salesflow::calibrate
