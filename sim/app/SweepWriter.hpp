#pragma once
// SweepWriter: the output of a sweep (cli-core.md, docs/results-format.md): /sweeps/<name>/
// with attributes sweep_yaml and scenario_yaml, a `replications` table (point,
// replication, one column per varied PATH, every metric), a `points` table (point, PATH
// columns, metric means over replications), a `design` table (each path's design) and a
// `runs` table (each command that wrote the file). A sweep that lists several scenarios
// (`scenarios:`) has a `scenario` column in both tables, one points row per (point,
// scenario), and a `differences` table: per point, the paired difference of every metric
// of every scenario from the first (mean and 95% interval, as compare's). Under
// --precision the points table also has `replications` and `precision_achieved_percent`.
//
// Rows arrive in item order (point, then replication, then scenario) and stream to a
// temporary file that finish() commits over the target; each item is also appended to
// the sweep's journal (SweepJournal) as it arrives, so that a process killed in any way
// loses only the items in flight. The writer follows the items with a cursor (point,
// replication, scenario): a point ends after the sweep's replications, or under
// --precision when judge_point says so; the same rule decodes the journal on --resume.
// The target's lock (output/OutputLock.hpp) is held from create() or resume() to the end.
//
// resume() continues an interrupted sweep from the committed file and/or the journal.
// It refuses (UsageError, exit 2) a file made by another sweep or with anything that
// changes the set of items (the sweep, its points, the scenarios, the seed, the
// replications, the precision), and a file whose tables do not hold exactly the items it
// says it has (a shortened points table, missing or reordered rows, means that do not
// match).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/SweepJournal.hpp"
#include "app/SweepPrecision.hpp"
#include "input/SweepPlan.hpp"
#include "models/MetricCatalog.hpp"
#include "output/OutputLock.hpp"
#include "output/ResultsFile.hpp"

namespace salesflow::app {

class SweepWriter {
public:
    struct Identity {
        std::string name;
        std::string sweep_yaml;
        std::string scenario_yaml;                 // the first scenario's
        std::vector<std::string> scenarios_yaml;   // every scenario's (listed sweeps)
        int replications = 0;
        long long points = 0;
        std::optional<SweepPrecision> precision;
    };

    static std::unique_ptr<SweepWriter> create(const std::filesystem::path& out, const Identity& id,
                                               const input::SweepPlan& plan, const std::vector<model::MetricInfo>& metrics,
                                               const std::string& command_line);
    // Throws UsageError when there is nothing to resume, or it belongs to another sweep
    // or has been damaged (see above).
    static std::unique_ptr<SweepWriter> resume(const std::filesystem::path& out, const Identity& id,
                                               const input::SweepPlan& plan, const std::vector<model::MetricInfo>& metrics,
                                               const std::string& command_line);

    long long completed() const { return completed_; }          // items (rows of `replications`)
    long long completed_points() const { return point_; }       // points whose every row is written
    void add(long long item, const std::vector<double>& metrics);
    // How this run ran, written as the attributes mpi_size and resumed_items and as a row
    // of the `runs` table by finish().
    void note_run(int mpi_size, long long resumed_items) {
        mpi_size_ = mpi_size;
        resumed_items_ = resumed_items;
    }
    // Writes what is buffered, marks the file complete or not, commits it and removes
    // the journal.
    void finish(bool complete);

    // Seconds between syncs of the journal to disk (0: every item); from
    // SALESFLOW_CHECKPOINT_SECONDS, default 10.
    static double checkpoint_interval();

private:
    SweepWriter(const std::filesystem::path& out, const Identity& id, const input::SweepPlan& plan,
                const std::vector<model::MetricInfo>& metrics, const std::string& command_line);
    void start_file();                                   // a new temporary file with empty tables
    void open_tables();
    void write_row(long long item, std::span<const double> metrics);
    void end_point(double achieved_percent);
    // Under --precision: whether `rows` (a point's first rows, in item order) are exactly
    // that point's every row.
    bool whole_point(const std::vector<std::pair<long long, std::vector<double>>>& rows) const;
    void flush();
    long long check_resumable();                         // throws UsageError; returns completed items
    std::uint64_t identity_hash() const;
    output::TableSchema schema(bool replications) const;
    output::TableSchema differences_schema() const;
    void put_paths(output::RowBatch& b, long long point) const;
    std::size_t scenarios() const { return plan_.scenario_count(); }

    std::filesystem::path out_;
    Identity id_;
    const input::SweepPlan& plan_;
    std::string command_line_;
    std::vector<std::string> metrics_;
    std::vector<model::MetricInfo> infos_;   // each metric's unit, direction and label
    std::vector<std::string> names_;         // each scenario's name
    std::string group_;
    std::shared_ptr<output::OutputLock> lock_;
    std::optional<output::ResultsFile> file_;
    std::optional<SweepJournal> journal_;
    output::Table reps_table_;
    output::Table points_table_;
    output::Table diffs_table_;
    std::optional<output::RowBatch> reps_rows_;
    std::optional<output::RowBatch> points_rows_;
    std::optional<output::RowBatch> diffs_rows_;
    // The cursor: the point being written, its replication and scenario next, the
    // replications it has to reach, and its rows so far (replication-major).
    long long point_ = 0;
    int rep_ = 0;
    std::size_t scenario_ = 0;
    int target_ = 0;
    std::vector<std::vector<double>> point_rows_;
    long long completed_ = 0;
    int mpi_size_ = 1;
    long long resumed_items_ = 0;
    double sync_every_;              // read once from the environment
    std::chrono::steady_clock::time_point last_sync_;
};

}  // namespace salesflow::app
