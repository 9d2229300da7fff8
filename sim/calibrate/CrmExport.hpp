#pragma once
// CrmExport: writes one simulated replication's lead log as a CRM export, so that
// salesflow can produce a clearly synthetic export to calibrate from (the round trip).
// The lead log has no per-stage times: the stage entries are spread over the lead's
// life by the rule of docs/calibrate.md ("The synthetic export"): the span from arrival
// to exit is split over the stages visited in proportion to each stage's expected
// elapsed time without queueing. Leads stream to the file as the model reports them.
#include <cstdint>
#include <optional>
#include <ostream>

#include "models/ScenarioConfig.hpp"

namespace salesflow::calibrate {

enum class ExportShape { stage_history, field_history, deals };

struct CrmExportOptions {
    ExportShape shape = ExportShape::stage_history;
    double start_h = 0.0;                  // hours since the epoch of simulated time 0 (a Monday 00:00 UTC)
    std::optional<double> export_at_h;     // simulated hours; rows after it are left out (default: horizon)
    int replication = 0;
    bool messy = true;                     // time zones, currency strings, reopened deals, quoted names
    double reopen_share = 0.05;            // closed deals shown as lost, reopened and closed again
    std::uint64_t seed = 7;                // of the messiness (the simulation uses the scenario's seed)
};

struct CrmExportStats {
    std::int64_t leads = 0, rows = 0, reopened = 0, open = 0;
};

// The default start: 2023-01-02T00:00Z, a Monday.
double default_export_start_h();

// Expected elapsed time of each stage without queueing (hours), for a lead of `source`:
// mean effort / (availability x efficiency) x calendar stretch + (touches - 1) x mean response.
std::vector<double> stage_weights(const model::ScenarioConfig& cfg, int source);

CrmExportStats write_crm_export(const model::ScenarioConfig& cfg, const CrmExportOptions& opt, std::ostream& out);

}  // namespace salesflow::calibrate
