#pragma once
// SweepWriter: the output of a sweep (cli-core.md): /sweeps/<name>/ with attributes
// sweep_yaml and scenario_yaml, a `replications` table (point, replication, one column
// per varied PATH, every metric) and a `points` table (point, PATH columns, metric means
// over replications). Rows arrive in item order and stream to the file. At intervals the
// file is committed as it stands (marked incomplete), so a killed run loses only the
// items since; resume() reopens such a file, refusing one made by another sweep.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "input/SweepPlan.hpp"
#include "output/ResultsFile.hpp"

namespace salesflow::app {

class SweepWriter {
public:
    struct Identity {
        std::string name;
        std::string sweep_yaml;
        std::string scenario_yaml;
        int replications = 0;
        long long points = 0;
    };

    static std::unique_ptr<SweepWriter> create(const std::filesystem::path& out, const Identity& id,
                                               const input::SweepPlan& plan, const std::vector<std::string>& metrics,
                                               const std::string& command_line);
    // Throws UsageError when the file is missing or belongs to another sweep.
    static std::unique_ptr<SweepWriter> resume(const std::filesystem::path& out, const Identity& id,
                                               const input::SweepPlan& plan, const std::vector<std::string>& metrics);

    long long completed() const { return completed_; }
    void add(long long item, const std::vector<double>& metrics);
    // Writes what is buffered, marks the file complete or not, commits it.
    void finish(bool complete);

    // Seconds between checkpoints (0: never); from SALESFLOW_CHECKPOINT_SECONDS, default 10.
    static double checkpoint_interval();

private:
    SweepWriter(const std::filesystem::path& out, const Identity& id, const input::SweepPlan& plan,
                const std::vector<std::string>& metrics);
    void open_tables();
    void flush();
    void checkpoint();
    output::TableSchema schema(bool replications) const;
    void put_paths(output::RowBatch& b, long long point) const;

    std::filesystem::path out_;
    Identity id_;
    const input::SweepPlan& plan_;
    std::vector<std::string> metrics_;
    std::string group_;
    std::optional<output::ResultsFile> file_;
    output::Table reps_table_;
    output::Table points_table_;
    std::optional<output::RowBatch> reps_rows_;
    std::optional<output::RowBatch> points_rows_;
    std::vector<double> sums_;       // metric sums of the current point, in replication order
    long long completed_ = 0;
    double checkpoint_every_;        // read once from the environment
    std::chrono::steady_clock::time_point last_checkpoint_;
};

}  // namespace salesflow::app
