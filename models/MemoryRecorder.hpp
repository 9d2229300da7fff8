#pragma once
// MemoryRecorder: keeps everything a run reports in memory, for tests and for callers
// that want numbers rather than a file.
#include <map>

#include "models/Recorder.hpp"

namespace salesflow::model {

class MemoryRecorder : public Recorder {
public:
    void begin_run(const RunInfo& info) override;
    void replication(int rep, std::span<const double> metrics) override;
    void series(int rep, const TimeSeries& ts) override;
    void leads(std::span<const LeadRecord> records) override;
    void end_run(const std::vector<MetricSummary>& summary) override;

    RunInfo info;
    std::vector<int> replication_numbers;
    std::vector<std::vector<double>> rows;
    std::map<int, TimeSeries> series_by_rep;
    std::vector<LeadRecord> lead_records;
    std::vector<MetricSummary> summary;

    // Column of a metric over replications (empty when unknown).
    std::vector<double> column(const std::string& metric) const;
    const MetricSummary* find(const std::string& metric) const;
};

}  // namespace salesflow::model
