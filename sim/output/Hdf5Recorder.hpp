#pragma once
// Hdf5Recorder: the model's results (model::Recorder) written to a ResultsFile under
// /runs/<scenario name>/ as described in docs/results-format.md: run attributes, the
// replications table (one row per replication, one column per metric), the optional
// series and leads tables, and the summary table. It models the streaming side of a
// run: per-lead records are buffered up to a bound and appended in batches, so a run
// with millions of leads never holds them all in memory.
//
// The recorder writes into the file it is bound to; committing that file stays the
// caller's job (after end_run). Several runs may be recorded one after the other
// (compare); calls come from one thread, in replication order (model/Recorder.hpp).
#include "models/Recorder.hpp"
#include "output/ResultsFile.hpp"
#include "output/RowBatch.hpp"
#include "output/Table.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace salesflow::output {

class Hdf5Recorder final : public model::Recorder {
public:
    struct Options {
        std::string runs_group = "/runs";     // runs are written to <runs_group>/<name>
        std::size_t lead_buffer_rows = 4096;  // leads held in memory before an append
        TableOptions table_options{};
    };

    explicit Hdf5Recorder(ResultsFile& file);
    Hdf5Recorder(ResultsFile& file, Options options);

    // Throws std::invalid_argument for a bad scenario name (empty, ".", containing '/')
    // or one that already exists in the file, std::logic_error if a run is open.
    void begin_run(const model::RunInfo& info) override;
    // metrics.size() must equal info.metric_names.size() (std::invalid_argument).
    void replication(int rep, std::span<const double> metrics) override;
    // The first series of a run fixes its columns; later ones must have the same.
    void series(int rep, const model::TimeSeries& ts) override;
    // Source and stage indices must name an entry of the RunInfo (std::out_of_range).
    void leads(std::span<const model::LeadRecord> records) override;
    // Writes the summary table, flushes buffered leads and closes the run's tables.
    void end_run(const std::vector<model::MetricSummary>& summary) override;

    void flush();                       // appends buffered leads now
    bool run_open() const { return run_open_; }
    const std::string& run_path() const { return run_path_; }  // "/runs/<name>" of the current/last run
    std::size_t buffered_leads() const { return leads_buffer_ ? leads_buffer_->rows() : 0; }

private:
    void require_run(const char* what) const;
    TableOptions sized(std::size_t expected_rows) const;
    TableSchema leads_schema() const;

    ResultsFile& file_;
    Options options_;
    bool run_open_ = false;
    std::string run_path_;
    model::RunInfo info_;
    std::size_t outcome_width_ = 1;

    Table replications_;
    std::optional<RowBatch> replication_row_;
    Table series_;
    std::vector<std::string> series_columns_;
    Table leads_;
    std::optional<RowBatch> leads_buffer_;
};

}  // namespace salesflow::output
