#include "app/SweepWriter.hpp"

#include <cstdlib>

#include "app/CommandLine.hpp"
#include "app/Version.hpp"

namespace salesflow::app {

namespace {
constexpr const char* reps_name = "replications";
constexpr const char* points_name = "points";
}  // namespace

double SweepWriter::checkpoint_interval() {
    if (const char* s = std::getenv("SALESFLOW_CHECKPOINT_SECONDS")) return std::atof(s);
    return 10.0;
}

SweepWriter::SweepWriter(const std::filesystem::path& out, const Identity& id, const input::SweepPlan& plan,
                         const std::vector<std::string>& metrics)
    : out_(out), id_(id), plan_(plan), metrics_(metrics), group_("/sweeps/" + id.name),
      sums_(metrics.size(), 0.0), checkpoint_every_(checkpoint_interval()),
      last_checkpoint_(std::chrono::steady_clock::now()) {}

output::TableSchema SweepWriter::schema(bool replications) const {
    output::TableSchema s;
    s.add_int64("point");
    if (replications) s.add_int64("replication");
    for (std::size_t k = 0; k < plan_.paths().size(); ++k) {
        if (plan_.numeric(k)) s.add_float64(plan_.paths()[k]);
        else s.add_text(plan_.paths()[k]);
    }
    for (const auto& m : metrics_) s.add_float64(m);
    return s;
}

void SweepWriter::put_paths(output::RowBatch& b, long long point) const {
    for (std::size_t k = 0; k < plan_.paths().size(); ++k) {
        if (plan_.numeric(k)) b.put_float64(plan_.value_number(static_cast<std::size_t>(point), k));
        else b.put_text(plan_.value_text(static_cast<std::size_t>(point), k));
    }
}

std::unique_ptr<SweepWriter> SweepWriter::create(const std::filesystem::path& out, const Identity& id,
                                                 const input::SweepPlan& plan, const std::vector<std::string>& metrics,
                                                 const std::string& command_line) {
    std::unique_ptr<SweepWriter> w(new SweepWriter(out, id, plan, metrics));
    w->file_.emplace(output::ResultsFile::create(out, version_string, command_line));
    auto& f = *w->file_;
    f.create_group(w->group_);
    f.set_string_attribute(w->group_, "sweep_yaml", id.sweep_yaml);
    f.set_string_attribute(w->group_, "scenario_yaml", id.scenario_yaml);
    f.set_int_attribute(w->group_, "replications", id.replications);
    f.set_int_attribute(w->group_, "points", id.points);
    f.set_string_array_attribute(w->group_, "paths", plan.paths());
    f.set_int_attribute(w->group_, "complete", 0);
    f.set_int_attribute(w->group_, "completed_items", 0);
    w->reps_table_ = f.create_table(w->group_ + "/" + reps_name, w->schema(true));
    w->points_table_ = f.create_table(w->group_ + "/" + points_name, w->schema(false));
    w->reps_rows_.emplace(w->reps_table_.make_batch());
    w->points_rows_.emplace(w->points_table_.make_batch());
    return w;
}

std::unique_ptr<SweepWriter> SweepWriter::resume(const std::filesystem::path& out, const Identity& id,
                                                 const input::SweepPlan& plan, const std::vector<std::string>& metrics) {
    if (!std::filesystem::exists(out))
        throw UsageError("--resume: there is no file '" + out.string() + "' to resume (give it with -o)");
    const std::string group = "/sweeps/" + id.name;
    {
        const auto probe = output::ResultsFile::open_read(out);
        if (!probe.exists(group))
            throw UsageError("--resume: '" + out.string() + "' holds no sweep named '" + id.name + "'");
        if (probe.string_attribute(group, "sweep_yaml") != id.sweep_yaml)
            throw UsageError("--resume: '" + out.string() + "' was made from a different sweep (its points, "
                             "replications or name differ); refusing to mix them");
        if (probe.string_attribute(group, "scenario_yaml") != id.scenario_yaml)
            throw UsageError("--resume: '" + out.string() + "' was made from a different scenario (the base "
                             "scenario changed since); refusing to mix them");
    }
    std::unique_ptr<SweepWriter> w(new SweepWriter(out, id, plan, metrics));
    w->file_.emplace(output::ResultsFile::modify(out));
    w->open_tables();
    w->completed_ = static_cast<long long>(w->reps_table_.rows());
    // The replications already written of a point not yet complete: their sums, added in
    // replication order exactly as an uninterrupted run adds them.
    const long long partial = w->completed_ % id.replications;
    if (partial > 0) {
        const std::string path = group + "/" + reps_name;
        for (std::size_t m = 0; m < metrics.size(); ++m) {
            const auto col = w->file_->read_table_column_double(path, metrics[m]);
            for (long long i = w->completed_ - partial; i < w->completed_; ++i) w->sums_[m] += col[static_cast<std::size_t>(i)];
        }
    }
    return w;
}

void SweepWriter::open_tables() {
    reps_table_ = file_->open_table(group_ + "/" + reps_name);
    points_table_ = file_->open_table(group_ + "/" + points_name);
    reps_rows_.emplace(reps_table_.make_batch());
    points_rows_.emplace(points_table_.make_batch());
}

void SweepWriter::add(long long item, const std::vector<double>& metrics) {
    const long long point = item / id_.replications;
    const int rep = static_cast<int>(item % id_.replications);
    auto& b = *reps_rows_;
    b.put_int64(point).put_int64(rep);
    put_paths(b, point);
    b.put_float64s(metrics);
    for (std::size_t m = 0; m < metrics.size(); ++m) sums_[m] += metrics[m];
    if (rep == id_.replications - 1) {
        auto& p = *points_rows_;
        p.put_int64(point);
        put_paths(p, point);
        for (double& s : sums_) {
            p.put_float64(s / id_.replications);
            s = 0.0;
        }
    }
    completed_ = item + 1;
    if (b.rows() >= 1024) flush();
    if (checkpoint_every_ > 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint_).count() >= checkpoint_every_)
        checkpoint();
}

void SweepWriter::flush() {
    if (reps_rows_->rows() > 0) {
        reps_table_.append(*reps_rows_);
        reps_rows_->clear();
    }
    if (points_rows_->rows() > 0) {
        points_table_.append(*points_rows_);
        points_rows_->clear();
    }
}

void SweepWriter::checkpoint() {
    flush();
    file_->set_int_attribute(group_, "completed_items", completed_);
    reps_table_.close();
    points_table_.close();
    file_->commit();  // the file on disk now holds every item so far
    file_.emplace(output::ResultsFile::modify(out_));
    open_tables();
    last_checkpoint_ = std::chrono::steady_clock::now();
}

void SweepWriter::finish(bool complete) {
    flush();
    file_->set_int_attribute(group_, "completed_items", completed_);
    file_->set_int_attribute(group_, "complete", complete ? 1 : 0);
    reps_table_.close();
    points_table_.close();
    file_->commit();
}

}  // namespace salesflow::app
