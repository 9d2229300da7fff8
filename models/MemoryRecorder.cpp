#include "models/MemoryRecorder.hpp"

namespace salesflow::model {

void MemoryRecorder::begin_run(const RunInfo& i) { info = i; }
void MemoryRecorder::replication(int rep, std::span<const double> metrics) {
    replication_numbers.push_back(rep);
    rows.emplace_back(metrics.begin(), metrics.end());
}
void MemoryRecorder::series(int rep, const TimeSeries& ts) { series_by_rep[rep] = ts; }
void MemoryRecorder::leads(std::span<const LeadRecord> records) {
    lead_records.insert(lead_records.end(), records.begin(), records.end());
}
void MemoryRecorder::end_run(const std::vector<MetricSummary>& s) { summary = s; }

std::vector<double> MemoryRecorder::column(const std::string& metric) const {
    std::vector<double> out;
    for (std::size_t m = 0; m < info.metric_names.size(); ++m)
        if (info.metric_names[m] == metric) {
            for (const auto& r : rows) out.push_back(r[m]);
            break;
        }
    return out;
}

const MetricSummary* MemoryRecorder::find(const std::string& metric) const {
    for (const auto& s : summary)
        if (s.metric == metric) return &s;
    return nullptr;
}

}  // namespace salesflow::model
