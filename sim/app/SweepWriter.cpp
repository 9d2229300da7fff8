#include "app/SweepWriter.hpp"

#include "output/MetricAttributes.hpp"

#include <cstdlib>
#include <cstring>

#include "app/CommandLine.hpp"
#include "app/Version.hpp"

namespace salesflow::app {

namespace {
constexpr const char* reps_name = "replications";
constexpr const char* points_name = "points";

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

double SweepWriter::checkpoint_interval() {
    if (const char* s = std::getenv("SALESFLOW_CHECKPOINT_SECONDS")) return std::atof(s);
    return 10.0;
}

namespace {
std::vector<std::string> names_of(const std::vector<model::MetricInfo>& metrics) {
    std::vector<std::string> names;
    for (const auto& m : metrics) names.push_back(m.name);
    return names;
}
}  // namespace

SweepWriter::SweepWriter(const std::filesystem::path& out, const Identity& id, const input::SweepPlan& plan,
                         const std::vector<model::MetricInfo>& metrics)
    : out_(out), id_(id), plan_(plan), metrics_(names_of(metrics)), infos_(metrics), group_("/sweeps/" + id.name),
      sums_(metrics.size(), 0.0), sync_every_(checkpoint_interval()),
      last_sync_(std::chrono::steady_clock::now()) {}

std::uint64_t SweepWriter::identity_hash() const {
    // Everything that fixes the set of items and their numbers.
    std::uint64_t h = SweepJournal::hash(id_.name);
    h = SweepJournal::hash(std::string(1, '\0') + id_.sweep_yaml, h);
    h = SweepJournal::hash(std::string(1, '\0') + id_.scenario_yaml, h);
    h = SweepJournal::hash("\n" + std::to_string(id_.replications) + "\n" + std::to_string(id_.points), h);
    for (const auto& m : metrics_) h = SweepJournal::hash("\n" + m, h);
    return h;
}

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

void SweepWriter::start_file(const std::string& command_line) {
    file_.emplace(output::ResultsFile::create(out_, version_string, command_line, lock_));
    auto& f = *file_;
    f.create_group(group_);
    f.set_string_attribute(group_, "sweep_yaml", id_.sweep_yaml);
    f.set_string_attribute(group_, "scenario_yaml", id_.scenario_yaml);
    f.set_int_attribute(group_, "replications", id_.replications);
    f.set_int_attribute(group_, "points", id_.points);
    f.set_string_array_attribute(group_, "paths", plan_.paths());
    f.set_int_attribute(group_, "complete", 0);
    f.set_int_attribute(group_, "completed_items", 0);
    reps_table_ = f.create_table(group_ + "/" + reps_name, schema(true));
    points_table_ = f.create_table(group_ + "/" + points_name, schema(false));
    // What each metric column means, as on a run's replications table.
    for (const char* table : {reps_name, points_name}) output::write_metric_attributes(f, group_ + "/" + table, infos_);
    reps_rows_.emplace(reps_table_.make_batch());
    points_rows_.emplace(points_table_.make_batch());
}

std::unique_ptr<SweepWriter> SweepWriter::create(const std::filesystem::path& out, const Identity& id,
                                                 const input::SweepPlan& plan, const std::vector<model::MetricInfo>& metrics,
                                                 const std::string& command_line) {
    std::unique_ptr<SweepWriter> w(new SweepWriter(out, id, plan, metrics));
    w->lock_ = output::OutputLock::acquire(out);
    // We hold the lock: temporary files and a journal found now belong to dead runs,
    // and a sweep started afresh does not continue them.
    w->lock_->remove_stale_temporaries();
    w->start_file(command_line);
    w->journal_.emplace(SweepJournal::create(out, {w->identity_hash(), metrics.size(), -1}));
    return w;
}

std::unique_ptr<SweepWriter> SweepWriter::resume(const std::filesystem::path& out, const Identity& id,
                                                 const input::SweepPlan& plan, const std::vector<model::MetricInfo>& metrics,
                                                 const std::string& command_line) {
    namespace fs = std::filesystem;
    std::unique_ptr<SweepWriter> w(new SweepWriter(out, id, plan, metrics));
    w->lock_ = output::OutputLock::acquire(out);
    w->lock_->remove_stale_temporaries();
    const auto header = SweepJournal::read_header(out);
    const bool ours = header && header->identity == w->identity_hash() && header->metrics == metrics.size();
    if (!ours && !fs::exists(out))
        throw UsageError("--resume: there is no file '" + out.string() + "' to resume (give it with -o)");
    // A journal of another sweep (its run died) is left alone unless the committed file
    // turns out to be ours: then our own journal replaces it below.
    if (ours && header->base < 0) {
        // Killed before anything was committed: the journal alone holds its items.
        w->start_file(command_line);
    } else {
        w->file_.emplace(output::ResultsFile::modify(out, w->lock_));
        w->completed_ = w->check_resumable();
        w->open_tables();
        if (ours && header->base > w->completed_)
            throw UsageError("--resume: '" + out.string() + "' holds fewer items (" + std::to_string(w->completed_) +
                             ") than its journal continues (" + std::to_string(header->base) +
                             "): refusing to complete it; run the sweep again without --resume");
    }
    const long long total = static_cast<long long>(id.points) * id.replications;
    if (ours) {
        // The items the journal has beyond those in the file, exactly as if emitted now.
        const long long have = w->completed_;
        const long long valid = SweepJournal::replay(out, *header, [&](long long item, std::span<const double> m) {
            if (item >= have && item == w->completed_ && item < total) w->write_row(item, m);
        });
        w->journal_.emplace(SweepJournal::append_to(out, *header, valid));
    } else {
        w->journal_.emplace(SweepJournal::create(out, {w->identity_hash(), metrics.size(), w->completed_}));
    }
    return w;
}

long long SweepWriter::check_resumable() const {
    const auto& f = *file_;
    const std::string out = out_.string();
    auto refuse = [&](const std::string& why) {
        return UsageError("--resume: '" + out + "' " + why + "; refusing to mix or complete it");
    };
    if (!f.exists(group_)) throw UsageError("--resume: '" + out + "' holds no sweep named '" + id_.name + "'");
    for (const char* a : {"sweep_yaml", "scenario_yaml", "replications", "points", "completed_items"})
        if (!f.has_attribute(group_, a)) throw refuse(std::string("lacks the attribute ") + a + " (damaged)");
    if (f.int_attribute(group_, "replications") != id_.replications)
        throw refuse("was made with " + std::to_string(f.int_attribute(group_, "replications")) +
                     " replications per point, not " + std::to_string(id_.replications));
    if (f.int_attribute(group_, "points") != id_.points) throw refuse("was made with another number of points");
    if (f.string_attribute(group_, "sweep_yaml") != id_.sweep_yaml)
        throw refuse("was made from a different sweep (its points, replications or name differ)");
    if (f.string_attribute(group_, "scenario_yaml") != id_.scenario_yaml)
        throw refuse("was made from a different scenario (the base scenario, a --set or the seed changed since)");

    const long long reps = id_.replications;
    const long long total = id_.points * reps;
    const long long done = f.int_attribute(group_, "completed_items");
    const std::string rp = group_ + "/" + reps_name, pp = group_ + "/" + points_name;
    if (!f.exists(rp) || !f.exists(pp)) throw refuse("lacks its tables (damaged)");
    const auto rt = f.open_table(rp);
    const auto pt = f.open_table(pp);
    if (!(rt.schema() == schema(true)) || !(pt.schema() == schema(false)))
        throw refuse("has tables whose columns differ from this sweep's (damaged or another version)");
    if (done < 0 || done > total || static_cast<long long>(rt.rows()) != done)
        throw refuse("says it holds " + std::to_string(done) + " items but its replications table has " +
                     std::to_string(rt.rows()) + " rows (damaged or truncated)");
    if (static_cast<long long>(pt.rows()) != done / reps)
        throw refuse("has " + std::to_string(pt.rows()) + " rows in its points table for " + std::to_string(done) +
                     " items (" + std::to_string(done / reps) + " expected: damaged or truncated)");
    // Every row where it belongs, every point mean the mean of its rows, every PATH
    // value the sweep's.
    const auto rpoint = rt.read_int64("point"), rrep = rt.read_int64("replication"), ppoint = pt.read_int64("point");
    for (long long i = 0; i < done; ++i)
        if (rpoint[static_cast<std::size_t>(i)] != i / reps || rrep[static_cast<std::size_t>(i)] != i % reps)
            throw refuse("has replication row " + std::to_string(i) + " out of place (damaged)");
    for (long long p = 0; p < done / reps; ++p)
        if (ppoint[static_cast<std::size_t>(p)] != p) throw refuse("has points row " + std::to_string(p) + " out of place (damaged)");
    for (std::size_t k = 0; k < plan_.paths().size(); ++k) {
        const auto& path = plan_.paths()[k];
        for (const auto* t : {&rt, &pt}) {
            const bool by_rep = t == &rt;
            const long long rows = by_rep ? done : done / reps;
            if (plan_.numeric(k)) {
                const auto v = t->read_float64(path);
                for (long long i = 0; i < rows; ++i)
                    if (!same_bits(v[static_cast<std::size_t>(i)], plan_.value_number(static_cast<std::size_t>(by_rep ? i / reps : i), k)))
                        throw refuse("has a value of " + path + " that is not this sweep's (row " + std::to_string(i) + ")");
            } else {
                const auto v = t->read_text(path);
                for (long long i = 0; i < rows; ++i)
                    if (v[static_cast<std::size_t>(i)] != plan_.value_text(static_cast<std::size_t>(by_rep ? i / reps : i), k))
                        throw refuse("has a value of " + path + " that is not this sweep's (row " + std::to_string(i) + ")");
            }
        }
    }
    for (const auto& m : metrics_) {
        const auto rv = rt.read_float64(m), pv = pt.read_float64(m);
        for (long long p = 0; p < done / reps; ++p) {
            double s = 0.0;
            for (long long r = 0; r < reps; ++r) s += rv[static_cast<std::size_t>(p * reps + r)];
            if (!same_bits(s / static_cast<double>(reps), pv[static_cast<std::size_t>(p)]))
                throw refuse("has a mean of " + m + " at point " + std::to_string(p) +
                             " that is not the mean of its replications (damaged)");
        }
    }
    return done;
}

void SweepWriter::open_tables() {
    reps_table_ = file_->open_table(group_ + "/" + reps_name);
    points_table_ = file_->open_table(group_ + "/" + points_name);
    reps_rows_.emplace(reps_table_.make_batch());
    points_rows_.emplace(points_table_.make_batch());
    // The replications already written of a point not yet complete: their sums, added in
    // replication order exactly as an uninterrupted run adds them.
    const long long partial = completed_ % id_.replications;
    if (partial > 0)
        for (std::size_t m = 0; m < metrics_.size(); ++m) {
            const auto col = reps_table_.read_float64(metrics_[m], static_cast<std::uint64_t>(completed_ - partial),
                                                      static_cast<std::uint64_t>(partial));
            for (double v : col) sums_[m] += v;
        }
}

void SweepWriter::write_row(long long item, std::span<const double> metrics) {
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
}

void SweepWriter::add(long long item, const std::vector<double>& metrics) {
    if (metrics.size() != metrics_.size())
        throw std::runtime_error("sweep item " + std::to_string(item) + " has " + std::to_string(metrics.size()) +
                                 " metrics, expected " + std::to_string(metrics_.size()));
    // Durable first: once in the journal, the item survives any end of this process.
    journal_->append(item, metrics);
    write_row(item, metrics);
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - last_sync_).count() >= sync_every_) {
        journal_->sync();
        last_sync_ = std::chrono::steady_clock::now();
    }
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

void SweepWriter::finish(bool complete) {
    flush();
    file_->set_int_attribute(group_, "completed_items", completed_);
    file_->set_int_attribute(group_, "complete", complete ? 1 : 0);
    file_->set_int_attribute(group_, "mpi_size", mpi_size_);
    file_->set_int_attribute(group_, "resumed_items", resumed_items_);
    reps_table_.close();
    points_table_.close();
    file_->commit();
    // The file now holds every item of the journal.
    journal_->remove();
}

}  // namespace salesflow::app
