#include "app/SweepWriter.hpp"

#include "output/MetricAttributes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "app/CommandLine.hpp"
#include "app/Version.hpp"
#include "kernel/Summary.hpp"

namespace salesflow::app {

namespace {
constexpr const char* reps_name = "replications";
constexpr const char* points_name = "points";
constexpr const char* diffs_name = "differences";
constexpr const char* design_name = "design";
constexpr const char* runs_name = "runs";

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::vector<std::string> names_of(const std::vector<model::MetricInfo>& metrics) {
    std::vector<std::string> names;
    for (const auto& m : metrics) names.push_back(m.name);
    return names;
}

std::vector<std::string> scenario_names(const input::SweepPlan& plan) {
    std::vector<std::string> names;
    for (std::size_t s = 0; s < plan.scenario_count(); ++s) names.push_back(plan.base(s).name);
    return names;
}

output::TableSchema runs_schema() {
    output::TableSchema s;
    s.add_text("command_line").add_int64("mpi_size").add_int64("resumed_items").add_int64("completed_items");
    return s;
}
}  // namespace

double SweepWriter::checkpoint_interval() {
    if (const char* s = std::getenv("SALESFLOW_CHECKPOINT_SECONDS")) return std::atof(s);
    return 10.0;
}

SweepWriter::SweepWriter(const std::filesystem::path& out, const Identity& id, const input::SweepPlan& plan,
                         const std::vector<model::MetricInfo>& metrics, const std::string& command_line)
    : out_(out), id_(id), plan_(plan), command_line_(command_line), metrics_(names_of(metrics)), infos_(metrics),
      names_(scenario_names(plan)), group_("/sweeps/" + id.name), sync_every_(checkpoint_interval()),
      last_sync_(std::chrono::steady_clock::now()) {
    target_ = id_.precision ? first_target(id_.replications, *id_.precision) : id_.replications;
}

std::uint64_t SweepWriter::identity_hash() const {
    // Everything that fixes the set of items and their numbers (a one-scenario sweep
    // without --precision hashes exactly what it always did).
    std::uint64_t h = SweepJournal::hash(id_.name);
    h = SweepJournal::hash(std::string(1, '\0') + id_.sweep_yaml, h);
    h = SweepJournal::hash(std::string(1, '\0') + id_.scenario_yaml, h);
    std::string counts = "\n";  // built by appending: GCC 12 warns falsely (-Wrestrict) on "\n" + to_string(..)
    counts += std::to_string(id_.replications);
    counts += '\n';
    counts += std::to_string(id_.points);
    h = SweepJournal::hash(counts, h);
    for (const auto& m : metrics_) h = SweepJournal::hash("\n" + m, h);
    if (plan_.listed())
        for (const auto& y : id_.scenarios_yaml) h = SweepJournal::hash(std::string(1, '\0') + y, h);
    if (id_.precision) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", id_.precision->target_percent);
        h = SweepJournal::hash(std::string("\nprecision ") + buf + " " + id_.precision->metric + " " +
                                   std::to_string(id_.precision->cap),
                               h);
    }
    return h;
}

output::TableSchema SweepWriter::schema(bool replications) const {
    output::TableSchema s;
    s.add_int64("point");
    if (plan_.listed()) s.add_text("scenario");
    if (replications) s.add_int64("replication");
    for (std::size_t k = 0; k < plan_.paths().size(); ++k) {
        if (plan_.numeric(k)) s.add_float64(plan_.paths()[k]);
        else s.add_text(plan_.paths()[k]);
    }
    if (!replications && id_.precision) s.add_int64("replications").add_float64("precision_achieved_percent");
    for (const auto& m : metrics_) s.add_float64(m);
    return s;
}

output::TableSchema SweepWriter::differences_schema() const {
    output::TableSchema s;
    s.add_int64("point").add_text("scenario").add_text("metric");
    for (const char* c : {"diff", "diff_ci_low", "diff_ci_high", "rel_change"}) s.add_float64(c);
    return s;
}

void SweepWriter::put_paths(output::RowBatch& b, long long point) const {
    for (std::size_t k = 0; k < plan_.paths().size(); ++k) {
        if (plan_.numeric(k)) b.put_float64(plan_.value_number(static_cast<std::size_t>(point), k));
        else b.put_text(plan_.value_text(static_cast<std::size_t>(point), k));
    }
}

void SweepWriter::start_file() {
    file_.emplace(output::ResultsFile::create(out_, version_string, command_line_, lock_));
    auto& f = *file_;
    f.create_group(group_);
    f.set_string_attribute(group_, "sweep_yaml", id_.sweep_yaml);
    f.set_string_attribute(group_, "scenario_yaml", id_.scenario_yaml);
    f.set_int_attribute(group_, "replications", id_.replications);
    f.set_int_attribute(group_, "points", id_.points);
    f.set_string_array_attribute(group_, "paths", plan_.paths());
    f.set_int_attribute(group_, "complete", 0);
    f.set_int_attribute(group_, "completed_items", 0);
    if (plan_.listed()) {
        f.set_string_array_attribute(group_, "scenarios", names_);
        f.set_string_array_attribute(group_, "scenarios_yaml", id_.scenarios_yaml);
        f.set_string_attribute(group_, "baseline", names_.front());
        f.set_uint_attribute(group_, "seed", plan_.base().simulation.seed);
    }
    if (id_.precision) {
        f.set_double_attribute(group_, "precision_target_percent", id_.precision->target_percent);
        f.set_string_attribute(group_, "precision_metric", id_.precision->metric);
        f.set_int_attribute(group_, "max_replications", id_.precision->cap);
    }
    // The design as generated: its kind, a hypercube's seed, and per path its range and
    // number of levels.
    f.set_string_attribute(group_, "design", plan_.design_name());
    if (std::string(plan_.design_name()) == "latin_hypercube")
        f.set_uint_attribute(group_, "latin_hypercube_seed", plan_.lhs_seed());
    {
        output::TableSchema ds;
        ds.add_text("path").add_float64("min").add_float64("max").add_int64("levels");
        auto t = f.create_table(group_ + "/" + design_name, ds);
        auto b = t.make_batch();
        for (std::size_t k = 0; k < plan_.paths().size(); ++k) {
            const bool lhs = !plan_.ranges().empty();
            b.put_text(plan_.paths()[k]);
            b.put_float64(lhs ? plan_.ranges()[k].first : NAN).put_float64(lhs ? plan_.ranges()[k].second : NAN);
            b.put_int64(static_cast<std::int64_t>(plan_.levels(k)));
        }
        t.append(b);
        t.close();
    }
    (void)f.create_table(group_ + "/" + runs_name, runs_schema());
    reps_table_ = f.create_table(group_ + "/" + reps_name, schema(true));
    points_table_ = f.create_table(group_ + "/" + points_name, schema(false));
    // What each metric column means, as on a run's replications table.
    for (const char* table : {reps_name, points_name}) output::write_metric_attributes(f, group_ + "/" + table, infos_);
    reps_rows_.emplace(reps_table_.make_batch());
    points_rows_.emplace(points_table_.make_batch());
    if (scenarios() > 1) {
        diffs_table_ = f.create_table(group_ + "/" + diffs_name, differences_schema());
        f.set_string_attribute(group_ + "/" + diffs_name, "baseline", names_.front());
        diffs_rows_.emplace(diffs_table_.make_batch());
    }
}

std::unique_ptr<SweepWriter> SweepWriter::create(const std::filesystem::path& out, const Identity& id,
                                                 const input::SweepPlan& plan, const std::vector<model::MetricInfo>& metrics,
                                                 const std::string& command_line) {
    std::unique_ptr<SweepWriter> w(new SweepWriter(out, id, plan, metrics, command_line));
    w->lock_ = output::OutputLock::acquire(out);
    // We hold the lock: temporary files and a journal found now belong to dead runs,
    // and a sweep started afresh does not continue them.
    w->lock_->remove_stale_temporaries();
    w->start_file();
    w->journal_.emplace(SweepJournal::create(out, {w->identity_hash(), metrics.size(), -1}));
    return w;
}

std::unique_ptr<SweepWriter> SweepWriter::resume(const std::filesystem::path& out, const Identity& id,
                                                 const input::SweepPlan& plan, const std::vector<model::MetricInfo>& metrics,
                                                 const std::string& command_line) {
    namespace fs = std::filesystem;
    std::unique_ptr<SweepWriter> w(new SweepWriter(out, id, plan, metrics, command_line));
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
        w->start_file();
    } else {
        w->file_.emplace(output::ResultsFile::modify(out, w->lock_));
        w->completed_ = w->check_resumable();
        w->open_tables();
        if (ours && header->base > w->completed_)
            throw UsageError("--resume: '" + out.string() + "' holds fewer items (" + std::to_string(w->completed_) +
                             ") than its journal continues (" + std::to_string(header->base) +
                             "): refusing to complete it; run the sweep again without --resume");
    }
    if (ours) {
        // The items the journal has beyond those in the file, exactly as if emitted now.
        // Under --precision a point is written whole or not at all (the command computes
        // whole points again): a point's records are held until they make a whole point,
        // and the records of an unfinished last point are cut from the journal.
        const long long have = w->completed_;
        std::vector<std::pair<long long, std::vector<double>>> pending;
        long long next = have;
        const long long valid = SweepJournal::replay(out, *header, [&](long long item, std::span<const double> m) {
            if (item < have || item != next || w->point_ >= id.points) return;
            ++next;
            if (!id.precision) {
                w->write_row(item, m);
                return;
            }
            pending.emplace_back(item, std::vector<double>(m.begin(), m.end()));
            if (w->whole_point(pending)) {
                for (const auto& [i, row] : pending) w->write_row(i, row);
                pending.clear();
            }
        });
        w->journal_.emplace(SweepJournal::append_to(out, *header, valid - static_cast<long long>(pending.size())));
    } else {
        w->journal_.emplace(SweepJournal::create(out, {w->identity_hash(), metrics.size(), w->completed_}));
    }
    return w;
}

long long SweepWriter::check_resumable() {
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
        throw refuse("was made from a different sweep (its points, scenarios, replications or name differ)");
    if (f.string_attribute(group_, "scenario_yaml") != id_.scenario_yaml)
        throw refuse("was made from a different scenario (the base scenario, a --set or the seed changed since)");
    if (plan_.listed() && (!f.has_attribute(group_, "scenarios_yaml") ||
                           f.string_array_attribute(group_, "scenarios_yaml") != id_.scenarios_yaml))
        throw refuse("was made from different scenarios (a listed scenario, a --set or the seed changed since)");
    // The precision: none then and none now, or the same target, metric and cap.
    const bool had = f.has_attribute(group_, "precision_target_percent");
    if (had != static_cast<bool>(id_.precision))
        throw refuse(had ? "was made with --precision; give the same --precision, --metric and --max-replications"
                         : "was made without --precision; resume it without --precision");
    if (had && (!same_bits(f.double_attribute(group_, "precision_target_percent"), id_.precision->target_percent) ||
                f.string_attribute(group_, "precision_metric") != id_.precision->metric ||
                f.int_attribute(group_, "max_replications") != id_.precision->cap))
        throw refuse("was made with --precision " + std::to_string(f.double_attribute(group_, "precision_target_percent")) +
                     " --metric " + f.string_attribute(group_, "precision_metric") + " --max-replications " +
                     std::to_string(f.int_attribute(group_, "max_replications")) + ", not the ones given now");

    const long long S = static_cast<long long>(scenarios());
    const long long done = f.int_attribute(group_, "completed_items");
    const std::string rp = group_ + "/" + reps_name, pp = group_ + "/" + points_name, dp = group_ + "/" + diffs_name;
    if (!f.exists(rp) || !f.exists(pp) || !f.exists(group_ + "/" + runs_name) || (S > 1 && !f.exists(dp)))
        throw refuse("lacks its tables (damaged)");
    const auto rt = f.open_table(rp);
    const auto pt = f.open_table(pp);
    if (!(rt.schema() == schema(true)) || !(pt.schema() == schema(false)))
        throw refuse("has tables whose columns differ from this sweep's (damaged or another version)");
    if (done < 0 || static_cast<long long>(rt.rows()) != done)
        throw refuse("says it holds " + std::to_string(done) + " items but its replications table has " +
                     std::to_string(rt.rows()) + " rows (damaged or truncated)");
    if (static_cast<long long>(pt.rows()) % S != 0) throw refuse("has a points table cut inside a point (damaged)");
    const long long points_done = static_cast<long long>(pt.rows()) / S;
    if (points_done > id_.points) throw refuse("has more points than the sweep");

    // Each completed point's replications: the sweep's, or under --precision those in
    // its rows (checked against the rule below).
    std::vector<long long> reps_of(static_cast<std::size_t>(points_done), id_.replications);
    if (id_.precision) {
        const auto n = pt.read_int64("replications");
        for (long long p = 0; p < points_done; ++p) {
            reps_of[static_cast<std::size_t>(p)] = n[static_cast<std::size_t>(p * S)];
            for (long long s = 0; s < S; ++s)
                if (n[static_cast<std::size_t>(p * S + s)] != reps_of[static_cast<std::size_t>(p)] ||
                    reps_of[static_cast<std::size_t>(p)] < 1 || reps_of[static_cast<std::size_t>(p)] > id_.precision->cap)
                    throw refuse("has a replications count out of place at point " + std::to_string(p) + " (damaged)");
        }
    }
    std::vector<long long> first_row(static_cast<std::size_t>(points_done) + 1, 0);
    for (long long p = 0; p < points_done; ++p)
        first_row[static_cast<std::size_t>(p) + 1] = first_row[static_cast<std::size_t>(p)] + reps_of[static_cast<std::size_t>(p)] * S;
    const long long whole = first_row.back();
    // Rows beyond the completed points: a point in progress (never under --precision,
    // which writes whole points).
    const long long partial = done - whole;
    if (partial < 0 || (id_.precision && partial != 0) || partial >= static_cast<long long>(id_.replications) * S ||
        (points_done == id_.points && partial != 0))
        throw refuse("has " + std::to_string(pt.rows()) + " rows in its points table for " + std::to_string(done) +
                     " items (damaged or truncated)");
    if (S > 1 && static_cast<long long>(f.open_table(dp).rows()) != points_done * (S - 1) * static_cast<long long>(metrics_.size()))
        throw refuse("has a differences table whose rows do not match its points (damaged or truncated)");

    // Every row where it belongs, every point mean the mean of its rows, every PATH
    // value the sweep's.
    auto point_of_row = [&](long long i, long long& rep, long long& s) {
        const auto it = std::upper_bound(first_row.begin(), first_row.end(), i);
        const long long p = static_cast<long long>(it - first_row.begin()) - 1;
        const long long within = i - first_row[static_cast<std::size_t>(p)];
        rep = within / S;
        s = within % S;
        return p;
    };
    const auto rpoint = rt.read_int64("point"), rrep = rt.read_int64("replication"), ppoint = pt.read_int64("point");
    const auto rscen = plan_.listed() ? rt.read_text("scenario") : std::vector<std::string>{};
    const auto pscen = plan_.listed() ? pt.read_text("scenario") : std::vector<std::string>{};
    std::vector<long long> row_point(static_cast<std::size_t>(done));
    for (long long i = 0; i < done; ++i) {
        long long rep = 0, s = 0;
        const long long p = point_of_row(i, rep, s);
        row_point[static_cast<std::size_t>(i)] = p;
        if (rpoint[static_cast<std::size_t>(i)] != p || rrep[static_cast<std::size_t>(i)] != rep ||
            (plan_.listed() && rscen[static_cast<std::size_t>(i)] != names_[static_cast<std::size_t>(s)]))
            throw refuse("has replication row " + std::to_string(i) + " out of place (damaged)");
    }
    for (long long p = 0; p < points_done * S; ++p)
        if (ppoint[static_cast<std::size_t>(p)] != p / S ||
            (plan_.listed() && pscen[static_cast<std::size_t>(p)] != names_[static_cast<std::size_t>(p % S)]))
            throw refuse("has points row " + std::to_string(p) + " out of place (damaged)");
    for (std::size_t k = 0; k < plan_.paths().size(); ++k) {
        const auto& path = plan_.paths()[k];
        for (const auto* t : {&rt, &pt}) {
            const bool by_rep = t == &rt;
            const long long rows = by_rep ? done : points_done * S;
            auto point_at = [&](long long i) {
                return static_cast<std::size_t>(by_rep ? row_point[static_cast<std::size_t>(i)] : i / S);
            };
            if (plan_.numeric(k)) {
                const auto v = t->read_float64(path);
                for (long long i = 0; i < rows; ++i)
                    if (!same_bits(v[static_cast<std::size_t>(i)], plan_.value_number(point_at(i), k)))
                        throw refuse("has a value of " + path + " that is not this sweep's (row " + std::to_string(i) + ")");
            } else {
                const auto v = t->read_text(path);
                for (long long i = 0; i < rows; ++i)
                    if (v[static_cast<std::size_t>(i)] != plan_.value_text(point_at(i), k))
                        throw refuse("has a value of " + path + " that is not this sweep's (row " + std::to_string(i) + ")");
            }
        }
    }
    for (const auto& m : metrics_) {
        const auto rv = rt.read_float64(m), pv = pt.read_float64(m);
        for (long long p = 0; p < points_done; ++p) {
            const long long n = reps_of[static_cast<std::size_t>(p)];
            for (long long s = 0; s < S; ++s) {
                double sum = 0.0;
                for (long long r = 0; r < n; ++r) sum += rv[static_cast<std::size_t>(first_row[static_cast<std::size_t>(p)] + r * S + s)];
                if (!same_bits(sum / static_cast<double>(n), pv[static_cast<std::size_t>(p * S + s)]))
                    throw refuse("has a mean of " + m + " at point " + std::to_string(p) +
                                 " that is not the mean of its replications (damaged)");
            }
        }
        // Under --precision each point stopped where the rule stops it.
        if (id_.precision && m == id_.precision->metric) {
            for (long long p = 0; p < points_done; ++p) {
                const long long n = reps_of[static_cast<std::size_t>(p)];
                int at = first_target(id_.replications, *id_.precision);
                bool ok = false;
                for (;;) {
                    if (at > n) break;
                    const auto begin = rv.begin() + first_row[static_cast<std::size_t>(p)];
                    const std::vector<double> vals(begin, begin + at * S);
                    const auto v = judge_point(*id_.precision, vals, at, scenarios());
                    if (v.done) {
                        ok = at == n;
                        break;
                    }
                    at = v.next;
                }
                if (!ok) throw refuse("has a number of replications at point " + std::to_string(p) +
                                      " that the precision rule does not give (damaged)");
            }
        }
    }
    point_ = points_done;
    return done;
}

void SweepWriter::open_tables() {
    reps_table_ = file_->open_table(group_ + "/" + reps_name);
    points_table_ = file_->open_table(group_ + "/" + points_name);
    reps_rows_.emplace(reps_table_.make_batch());
    points_rows_.emplace(points_table_.make_batch());
    if (scenarios() > 1) {
        diffs_table_ = file_->open_table(group_ + "/" + diffs_name);
        diffs_rows_.emplace(diffs_table_.make_batch());
    }
    // The rows already written of a point not yet complete, as an uninterrupted run
    // holds them (its means are summed in replication order from them).
    const long long rows_in_file = completed_;
    long long partial = 0;
    if (!id_.precision) partial = rows_in_file - point_ * static_cast<long long>(id_.replications) * static_cast<long long>(scenarios());
    if (partial > 0) {
        point_rows_.assign(static_cast<std::size_t>(partial), std::vector<double>(metrics_.size()));
        for (std::size_t m = 0; m < metrics_.size(); ++m) {
            const auto col = reps_table_.read_float64(metrics_[m], static_cast<std::uint64_t>(rows_in_file - partial),
                                                      static_cast<std::uint64_t>(partial));
            for (std::size_t i = 0; i < col.size(); ++i) point_rows_[i][m] = col[i];
        }
        rep_ = static_cast<int>(partial / static_cast<long long>(scenarios()));
        scenario_ = static_cast<std::size_t>(partial % static_cast<long long>(scenarios()));
    }
}

bool SweepWriter::whole_point(const std::vector<std::pair<long long, std::vector<double>>>& rows) const {
    const std::size_t S = scenarios();
    if (rows.size() % S != 0) return false;
    const int n = static_cast<int>(rows.size() / S);
    std::vector<double> vals;
    for (const auto& r : rows) vals.push_back(r.second[id_.precision->column]);
    for (int at = first_target(id_.replications, *id_.precision); at <= n;) {
        const auto v = judge_point(*id_.precision, std::vector<double>(vals.begin(), vals.begin() + at * static_cast<long>(S)), at, S);
        if (v.done) return at == n;
        at = v.next;
    }
    return false;
}

void SweepWriter::end_point(double achieved_percent) {
    const std::size_t S = scenarios();
    const int n = rep_;
    auto& p = *points_rows_;
    for (std::size_t s = 0; s < S; ++s) {
        p.put_int64(point_);
        if (plan_.listed()) p.put_text(names_[s]);
        put_paths(p, point_);
        if (id_.precision) p.put_int64(n).put_float64(achieved_percent);
        for (std::size_t m = 0; m < metrics_.size(); ++m) {
            double sum = 0.0;
            for (int r = 0; r < n; ++r) sum += point_rows_[static_cast<std::size_t>(r) * S + s][m];
            p.put_float64(sum / n);
        }
    }
    // Paired differences from the first scenario, as compare's /comparisons computes them.
    if (S > 1) {
        auto& d = *diffs_rows_;
        std::vector<double> diff(static_cast<std::size_t>(n)), base(static_cast<std::size_t>(n));
        for (std::size_t s = 1; s < S; ++s)
            for (std::size_t m = 0; m < metrics_.size(); ++m) {
                for (int r = 0; r < n; ++r) {
                    const auto at = static_cast<std::size_t>(r) * S;
                    base[static_cast<std::size_t>(r)] = point_rows_[at][m];
                    diff[static_cast<std::size_t>(r)] = point_rows_[at + s][m] - point_rows_[at][m];
                }
                const auto ds = kernel::summarize(diff);
                const double ref = kernel::summarize(base).mean;
                const double rel = ref != 0.0 ? 100.0 * ds.mean / std::abs(ref) : (ds.mean == 0.0 ? 0.0 : NAN);
                d.put_int64(point_).put_text(names_[s]).put_text(metrics_[m]);
                d.put_float64(ds.mean).put_float64(ds.ci_low).put_float64(ds.ci_high).put_float64(rel);
            }
    }
    point_rows_.clear();
    ++point_;
    rep_ = 0;
    scenario_ = 0;
    target_ = id_.precision ? first_target(id_.replications, *id_.precision) : id_.replications;
}

void SweepWriter::write_row(long long item, std::span<const double> metrics) {
    auto& b = *reps_rows_;
    b.put_int64(point_);
    if (plan_.listed()) b.put_text(names_[scenario_]);
    b.put_int64(rep_);
    put_paths(b, point_);
    b.put_float64s(metrics);
    point_rows_.emplace_back(metrics.begin(), metrics.end());
    completed_ = item + 1;
    if (++scenario_ == scenarios()) {
        scenario_ = 0;
        if (++rep_ >= target_) {
            if (!id_.precision) {
                end_point(0.0);
            } else {
                std::vector<double> vals;
                for (const auto& row : point_rows_) vals.push_back(row[id_.precision->column]);
                const auto v = judge_point(*id_.precision, vals, rep_, scenarios());
                if (v.done) end_point(v.achieved_percent);
                else target_ = v.next;
            }
        }
    }
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
    if (diffs_rows_ && diffs_rows_->rows() > 0) {
        diffs_table_.append(*diffs_rows_);
        diffs_rows_->clear();
    }
}

void SweepWriter::finish(bool complete) {
    flush();
    file_->set_int_attribute(group_, "completed_items", completed_);
    file_->set_int_attribute(group_, "complete", complete ? 1 : 0);
    file_->set_int_attribute(group_, "mpi_size", mpi_size_);
    file_->set_int_attribute(group_, "resumed_items", resumed_items_);
    {
        // This command, appended to those that wrote the file before.
        auto runs = file_->open_table(group_ + "/" + runs_name);
        auto b = runs.make_batch();
        b.put_text(command_line_).put_int64(mpi_size_).put_int64(resumed_items_).put_int64(completed_);
        runs.append(b);
        runs.close();
    }
    reps_table_.close();
    points_table_.close();
    if (diffs_rows_) diffs_table_.close();
    file_->commit();
    // The file now holds every item of the journal.
    journal_->remove();
}

}  // namespace salesflow::app
