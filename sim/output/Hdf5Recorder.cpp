#include "output/Hdf5Recorder.hpp"
#include "output/MetricAttributes.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace salesflow::output {
namespace {

constexpr model::Outcome kOutcomes[] = {model::Outcome::won, model::Outcome::lost, model::Outcome::disqualified,
                                        model::Outcome::abandoned, model::Outcome::open, model::Outcome::no_decision,
                                        model::Outcome::nurtured};

const char* outcome_text(model::Outcome o) {
    const char* s = model::outcome_name(o);
    if (!s) throw std::out_of_range("lead outcome " + std::to_string(static_cast<int>(o)) + " has no name");
    return s;
}

// Fixed-width text for names known when the run begins (sources, stages, outcomes,
// metrics): such columns compress to almost nothing and read faster than variable-length
// strings, which HDF5 keeps one by one in a separate heap. Width 1 at least: HDF5 has
// no zero-length fixed strings.
std::size_t widest(const std::vector<std::string>& names) {
    std::size_t w = 1;
    for (const auto& n : names) w = std::max(w, n.size());
    return w;
}

void check_name(const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
        throw std::invalid_argument("scenario name '" + name + "' cannot name an HDF5 group (empty, '.' or has '/')");
}

}  // namespace

Hdf5Recorder::Hdf5Recorder(ResultsFile& file) : Hdf5Recorder(file, Options{}) {}

Hdf5Recorder::Hdf5Recorder(ResultsFile& file, Options options) : file_(file), options_(std::move(options)) {
    if (options_.lead_buffer_rows == 0) options_.lead_buffer_rows = 1;
    while (options_.runs_group.size() > 1 && options_.runs_group.back() == '/') options_.runs_group.pop_back();
    for (auto o : kOutcomes) outcome_width_ = std::max(outcome_width_, std::strlen(outcome_text(o)));
}

// The table options with the rows a table is expected to hold (unless the caller fixed
// the chunk size): small tables get chunks of their own size, see TableOptions.
TableOptions Hdf5Recorder::sized(std::size_t expected_rows) const {
    TableOptions o = options_.table_options;
    if (o.expected_rows == 0) o.expected_rows = expected_rows;
    return o;
}

void Hdf5Recorder::require_run(const char* what) const {
    if (!run_open_) throw std::logic_error(std::string("Hdf5Recorder::") + what + " outside begin_run/end_run");
}

void Hdf5Recorder::begin_run(const model::RunInfo& info) {
    if (run_open_) throw std::logic_error("Hdf5Recorder::begin_run: run '" + info_.name + "' is still open");
    check_name(info.name);
    const std::string path = (options_.runs_group == "/" ? "" : options_.runs_group) + "/" + info.name;
    if (file_.exists(path)) throw std::invalid_argument("the results file already holds a run at " + path);

    // The schema checks the metric names (non-empty, unique, not "replication") before
    // anything is written.
    TableSchema reps;
    reps.add_int64("replication");
    for (const auto& m : info.metric_names) reps.add_float64(m);

    file_.create_group(path);
    file_.set_string_attribute(path, "scenario_yaml", info.scenario_yaml);
    file_.set_uint_attribute(path, "seed", info.seed);
    file_.set_int_attribute(path, "replications", info.replications);
    file_.set_double_attribute(path, "horizon_h", info.horizon_h);
    file_.set_double_attribute(path, "warmup_h", info.warmup_h);
    file_.set_string_array_attribute(path, "sources", info.source_names);
    file_.set_string_array_attribute(path, "stages", info.stage_names);
    file_.set_string_array_attribute(path, "roles", info.role_names);

    // The replications table is part of the core layout: created even before any row.
    replications_ = file_.create_table(path + "/replications", reps,
                                       sized(std::max<std::size_t>(1, static_cast<std::size_t>(std::max(0, info.replications)))));
    replication_row_.emplace(std::move(reps));
    // What each metric column means, so that reports and comparisons never guess.
    if (info.metrics.size() == info.metric_names.size()) write_metric_attributes(file_, path + "/replications", info.metrics);

    info_ = info;
    run_path_ = path;
    series_ = Table();
    series_columns_.clear();
    leads_ = Table();
    leads_buffer_.reset();
    run_open_ = true;
}

void Hdf5Recorder::replication(int rep, std::span<const double> metrics) {
    require_run("replication");
    if (metrics.size() != info_.metric_names.size())
        throw std::invalid_argument("replication " + std::to_string(rep) + ": " + std::to_string(metrics.size()) +
                                    " metrics, the run declared " + std::to_string(info_.metric_names.size()));
    // Replications are few and each is worth keeping as soon as it is known: one row,
    // one append.
    replication_row_->clear();
    replication_row_->put_int64(rep).put_float64s(metrics);
    replications_.append(*replication_row_);
}

void Hdf5Recorder::series(int rep, const model::TimeSeries& ts) {
    require_run("series");
    const std::size_t cols = ts.columns.size();
    if (cols == 0 || ts.data.empty()) return;  // nothing to keep: no table for it
    if (ts.data.size() % cols != 0)
        throw std::invalid_argument("series of replication " + std::to_string(rep) + ": " +
                                    std::to_string(ts.data.size()) + " values do not fill rows of " +
                                    std::to_string(cols) + " columns");
    if (!series_.is_open()) {
        TableSchema schema;
        schema.add_int64("replication");
        for (const auto& c : ts.columns) schema.add_float64(c);
        series_ = file_.create_table(run_path_ + "/series", std::move(schema),
                                     sized(ts.rows() * static_cast<std::size_t>(std::max(1, info_.replications))));
        series_columns_ = ts.columns;
    } else if (ts.columns != series_columns_) {
        throw std::invalid_argument("series of replication " + std::to_string(rep) +
                                    " has other columns than the run's first series");
    }
    // In pieces of at most lead_buffer_rows rows, so a long series costs a bounded
    // amount of memory on top of the TimeSeries itself.
    RowBatch batch = series_.make_batch();
    const std::size_t rows = ts.rows();
    const std::size_t piece = options_.lead_buffer_rows;
    batch.reserve(std::min(rows, piece));
    for (std::size_t r = 0; r < rows; ++r) {
        batch.put_int64(rep).put_float64s(std::span<const double>(ts.data).subspan(r * cols, cols));
        if (batch.rows() >= piece) {
            series_.append(batch);
            batch.clear();
        }
    }
    series_.append(batch);
}

TableSchema Hdf5Recorder::leads_schema() const {
    TableSchema s;
    s.add_int64("replication")
        .add_int64("lead")
        .add_text("source", widest(info_.source_names))
        .add_float64("arrival_h")
        .add_float64("exit_h")
        .add_text("outcome", outcome_width_)
        .add_float64("quality")
        .add_float64("value")
        .add_text("last_stage", widest(info_.stage_names))
        .add_float64("work_h")
        .add_float64("wait_h")
        .add_int64("hands")
        .add_int64("owner");
    return s;
}

void Hdf5Recorder::leads(std::span<const model::LeadRecord> records) {
    require_run("leads");
    if (records.empty()) return;
    if (!leads_buffer_) {
        leads_buffer_.emplace(leads_schema());
        leads_buffer_->reserve(options_.lead_buffer_rows);
    }
    RowBatch& b = *leads_buffer_;
    for (const auto& r : records) {
        // Check the whole record before its first cell goes in: a bad record throws
        // without leaving a half-filled row behind.
        if (r.source < 0 || static_cast<std::size_t>(r.source) >= info_.source_names.size())
            throw std::out_of_range("lead " + std::to_string(r.lead) + ": source index " + std::to_string(r.source) +
                                    " out of range");
        if (r.last_stage < -1 || (r.last_stage >= 0 && static_cast<std::size_t>(r.last_stage) >= info_.stage_names.size()))
            throw std::out_of_range("lead " + std::to_string(r.lead) + ": stage index " +
                                    std::to_string(r.last_stage) + " out of range");
        const char* outcome = outcome_text(r.outcome);
        b.put_int64(r.replication)
            .put_int64(r.lead)
            .put_text(info_.source_names[static_cast<std::size_t>(r.source)])
            .put_float64(r.arrival_h)
            .put_float64(r.exit_h)
            .put_text(outcome)
            .put_float64(r.quality)
            .put_float64(r.value)
            .put_text(r.last_stage < 0 ? std::string_view() : info_.stage_names[static_cast<std::size_t>(r.last_stage)])
            .put_float64(r.work_h)
            .put_float64(r.wait_h)
            .put_int64(r.hands)
            .put_int64(r.owner);
        if (b.rows() >= options_.lead_buffer_rows) flush();
    }
}

void Hdf5Recorder::flush() {
    if (!leads_buffer_ || leads_buffer_->rows() == 0) return;
    if (!leads_.is_open())
        leads_ = file_.create_table(run_path_ + "/leads", leads_buffer_->schema(), options_.table_options);
    leads_.append(*leads_buffer_);
    leads_buffer_->clear();
}

void Hdf5Recorder::end_run(const std::vector<model::MetricSummary>& summary) {
    require_run("end_run");
    flush();

    std::vector<std::string> names, units, directions, labels;
    names.reserve(summary.size());
    for (const auto& s : summary) {
        names.push_back(s.metric);
        // The metric's declaration, by name (empty for a metric the run did not declare).
        std::string unit, direction, label;
        for (std::size_t i = 0; i < info_.metrics.size(); ++i)
            if (info_.metrics[i].name == s.metric) {
                unit = model::unit_name(info_.metrics[i].unit);
                direction = model::direction_name(info_.metrics[i].direction);
                label = info_.metrics[i].label;
                break;
            }
        units.push_back(std::move(unit));
        directions.push_back(std::move(direction));
        labels.push_back(std::move(label));
    }
    TableSchema schema;
    schema.add_text("metric", widest(names))
        .add_float64("mean")
        .add_float64("sd")
        .add_float64("ci_low")
        .add_float64("ci_high")
        .add_int64("n")
        .add_text("unit", widest(units))
        .add_text("direction", widest(directions))
        .add_text("label", widest(labels));
    // Part of the core layout: written even when empty.
    Table table = file_.create_table(run_path_ + "/summary", schema, sized(std::max<std::size_t>(1, summary.size())));
    RowBatch batch = table.make_batch();
    batch.reserve(summary.size());
    for (std::size_t i = 0; i < summary.size(); ++i) {
        const auto& s = summary[i];
        batch.put_text(s.metric).put_float64(s.mean).put_float64(s.sd).put_float64(s.ci_low).put_float64(s.ci_high).put_int64(
            s.n);
        batch.put_text(units[i]).put_text(directions[i]).put_text(labels[i]);
    }
    table.append(batch);
    table.close();

    replications_.close();
    series_.close();
    leads_.close();
    replication_row_.reset();
    leads_buffer_.reset();
    run_open_ = false;
}

}  // namespace salesflow::output
