#include "app/StudyRunner.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <unordered_set>

#include "app/CommandLine.hpp"
#include "app/WorkDistribution.hpp"

namespace salesflow::app {

StudyRunner::StudyRunner(const input::StudyPlan& plan, int threads, const std::atomic<bool>* stop)
    : plan_(plan), threads_(std::max(1, threads)), stop_(stop), run_id_(model::next_run_id()) {}

long long StudyRunner::wire_selection(std::size_t d, std::size_t c, int r) const {
    return (static_cast<long long>(d) * max_c + static_cast<long long>(c)) * max_r + r;
}

long long StudyRunner::wire_outer(std::size_t p, std::size_t d, std::size_t c, int r) const {
    return outer_base +
           ((static_cast<long long>(p) * max_d + static_cast<long long>(d)) * max_c + static_cast<long long>(c)) * max_r + r;
}

model::ReplicationOutput StudyRunner::compute(long long wire) const {
    const bool outer = wire >= outer_base;
    long long rest = outer ? wire - outer_base : wire;
    const int r = static_cast<int>(rest % max_r);
    rest /= max_r;
    const auto c = static_cast<std::size_t>(rest % max_c);
    rest /= max_c;
    const auto d = static_cast<std::size_t>(rest % max_d);
    const auto p = static_cast<std::size_t>(rest / max_d);
    if (d >= plan_.designs().size() || c >= plan_.designs()[d].candidates.size() || (outer && p >= plan_.points()))
        throw std::runtime_error("study: item " + std::to_string(wire) + " out of range");
    const auto& des = plan_.designs()[d];
    // The model of a (design, candidate, point) is kept by the thread between its items.
    auto out = model::run_on_thread_model(
        run_id_, wire / max_r,
        [&] { return plan_.scenario(d, c, outer ? plan_.point_values(p) : plan_.central_values()); }, r, {}, des.metrics);
    std::vector<double> measures;
    measures.reserve(des.measure_index.size());
    for (const int m : des.measure_index) measures.push_back(m >= 0 ? out.metrics[static_cast<std::size_t>(m)] : NAN);
    model::ReplicationOutput o;
    o.events = out.events;
    o.metrics = std::move(measures);
    return o;
}

long long StudyRunner::open_journal(const std::string& out, bool resume) {
    std::string identity = plan_.resolved_yaml();
    if (precision_) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", precision_->target_percent);
        identity += std::string("\n--precision ") + buf + " --metric " + precision_->metric + " --max-replications " +
                    std::to_string(precision_->cap);
    }
    SweepJournal::Header h{SweepJournal::hash(identity), 1 + plan_.measures().size(), -1};
    if (resume) {
        const auto found = SweepJournal::read_header(out);
        if (!found && std::filesystem::exists(SweepJournal::path_for(out)))
            throw UsageError("--resume: the journal " + SweepJournal::path_for(out).string() + " beside " + out +
                             " is damaged or not a journal of salesflow (its header does not check); run without "
                             "--resume to start afresh");
        if (!found)
            throw UsageError("--resume: there is no interrupted study to continue for " + out +
                             " (no journal " + SweepJournal::path_for(out).string() + "); run it without --resume");
        if (found->identity != h.identity || found->metrics != h.metrics)
            throw UsageError("--resume: the journal beside " + out +
                             " belongs to another study (or another study file, --quick, --seed or --precision); run without --resume "
                             "to start afresh");
        const long long valid = SweepJournal::replay(out, h, [&](long long, std::span<const double> rec) {
            cache_[static_cast<long long>(rec[0])] = std::vector<double>(rec.begin() + 1, rec.end());
        });
        journal_.emplace(SweepJournal::append_to(out, h, valid));
        journal_records_ = valid;
        return valid;
    }
    journal_.emplace(SweepJournal::create(out, h));
    return 0;
}

void StudyRunner::remove_journal() {
    if (journal_) journal_->remove();
    journal_.reset();
}

std::vector<double> StudyRunner::values_of(long long wire) const { return cache_.at(wire); }

void StudyRunner::evaluate(const std::vector<long long>& wires) {
    std::vector<long long> missing;
    std::unordered_set<long long> queued;
    for (const long long w : wires) {
        ++needed_;
        if (!cache_.count(w) && queued.insert(w).second) missing.push_back(w);
    }
    if (missing.empty()) return;
    std::vector<double> record;
    auto emit = [&](long long i, model::ReplicationOutput&& o) {
        const long long w = missing[static_cast<std::size_t>(i)];
        if (journal_) {
            record.assign(1, static_cast<double>(w));
            record.insert(record.end(), o.metrics.begin(), o.metrics.end());
            journal_->append(journal_records_++, record);
        }
        cache_[w] = std::move(o.metrics);
        ++computed_;
        if (progress_) progress_(i + 1, static_cast<long long>(missing.size()));
    };
    OrderedExecutor exec(0, static_cast<long long>(missing.size()), emit, stop_);
    const auto stats = distribute_items(
        exec, threads_, [&](long long i) { return compute(missing[static_cast<std::size_t>(i)]); },
        [&](long long i) { return missing[static_cast<std::size_t>(i)]; });
    if (journal_) journal_->sync();
    if (stats.stopped || stats.emitted < static_cast<long long>(missing.size())) throw StudyInterrupted{};
}

std::vector<DesignSelection> StudyRunner::select(const std::function<long long(std::size_t, std::size_t, int)>& wire) {
    const std::size_t designs = plan_.designs().size();
    design::RankingOptions opt;
    opt.direction = plan_.direction() == model::Direction::lower ? design::Direction::minimise : design::Direction::maximise;
    opt.delta = plan_.indifference_zone();
    opt.alpha = plan_.alpha();
    opt.first_stage = plan_.first_stage();
    opt.max_replications = plan_.max_replications();
    opt.step = plan_.step();
    std::vector<std::optional<design::RankingSelection>> rs(designs);
    std::vector<DesignSelection> out(designs);
    for (std::size_t d = 0; d < designs; ++d) rs[d].emplace(plan_.designs()[d].candidates.size(), opt);
    // The designs' rounds run together (more items in flight), each design deciding on
    // its own samples only.
    for (;;) {
        std::vector<long long> wires;
        bool any = false;
        for (std::size_t d = 0; d < designs; ++d) {
            if (rs[d]->done()) continue;
            any = true;
            const design::Round round = rs[d]->round();
            for (const std::size_t c : round.systems)
                for (int t = 0; t < round.count; ++t) wires.push_back(wire(d, c, round.first_replication + t));
        }
        if (!any) break;
        evaluate(wires);
        for (std::size_t d = 0; d < designs; ++d) {
            if (rs[d]->done()) continue;
            const design::Round round = rs[d]->round();
            const std::size_t m = round.systems.size();
            std::vector<double> v(m * static_cast<std::size_t>(round.count));
            for (int t = 0; t < round.count; ++t)
                for (std::size_t j = 0; j < m; ++j) {
                    const double x = cache_.at(wire(d, round.systems[j], round.first_replication + t))[0];
                    if (!std::isfinite(x))
                        throw std::runtime_error("the objective " + plan_.objective() + " of design '" + plan_.designs()[d].name +
                                                 "' is not a number at replication " +
                                                 std::to_string(round.first_replication + t) + " of " +
                                                 plan_.candidate_text(d, round.systems[j]) +
                                                 " (a ratio with nothing to divide?): choose another objective or a longer horizon");
                    v[static_cast<std::size_t>(t) * m + j] = x;
                }
            rs[d]->record(v);
        }
    }
    for (std::size_t d = 0; d < designs; ++d) {
        out[d].ranking = rs[d]->result();
        out[d].chosen = out[d].ranking.chosen;
    }
    return out;
}

StudyResult StudyRunner::run(const std::function<void(const std::string&)>& say) {
    StudyResult res;
    const std::size_t designs = plan_.designs().size();
    const std::size_t measures = plan_.measures().size();
    say("selecting each design's best configuration at the assumptions' medians");
    res.selection = select([&](std::size_t d, std::size_t c, int r) { return wire_selection(d, c, r); });
    const int reps = plan_.outer_replications();
    res.chosen_at.resize(plan_.points());
    std::vector<std::size_t> chosen(designs);
    for (std::size_t d = 0; d < designs; ++d) chosen[d] = res.selection[d].chosen;
    say("outer design: " + std::to_string(plan_.points()) + " points x " + std::to_string(designs) + " designs x " +
        std::to_string(reps) + " paired replications");
    if (plan_.reoptimise()) {
        for (std::size_t p = 0; p < plan_.points(); ++p) {
            const auto sel = select([&](std::size_t d, std::size_t c, int r) { return wire_outer(p, d, c, r); });
            for (std::size_t d = 0; d < designs; ++d) res.chosen_at[p].push_back(sel[d].chosen);
        }
    } else {
        for (std::size_t p = 0; p < plan_.points(); ++p) res.chosen_at[p] = chosen;
    }
    // Each point's paired replications: the study's, or under --precision as many as its
    // own numbers need (rounds over every point still short of the precision).
    std::vector<int> have(plan_.points(), 0), target(plan_.points(), precision_ ? first_target(reps, *precision_) : reps);
    res.achieved_at.assign(plan_.points(), 0.0);
    std::vector<bool> done(plan_.points(), false);
    for (;;) {
        std::vector<long long> wires;
        for (std::size_t p = 0; p < plan_.points(); ++p)
            if (!done[p])
                for (std::size_t d = 0; d < designs; ++d)
                    for (int r = have[p]; r < target[p]; ++r) wires.push_back(wire_outer(p, d, res.chosen_at[p][d], r));
        if (wires.empty()) break;
        evaluate(wires);
        for (std::size_t p = 0; p < plan_.points(); ++p) {
            if (done[p]) continue;
            have[p] = target[p];
            if (!precision_) {
                done[p] = true;
                continue;
            }
            std::vector<double> vals;   // replication-major, as the rule reads them
            for (int r = 0; r < have[p]; ++r)
                for (std::size_t d = 0; d < designs; ++d)
                    vals.push_back(cache_.at(wire_outer(p, d, res.chosen_at[p][d], r))[precision_->column]);
            const auto v = judge_point(*precision_, vals, have[p], designs);
            res.achieved_at[p] = v.achieved_percent;
            if (v.done) done[p] = true;
            else target[p] = v.next;
        }
    }
    res.replications_at = have;
    for (std::size_t p = 0; p < plan_.points(); ++p) {
        res.values.push_back(plan_.point_values(p));
        std::vector<std::vector<double>> per(designs, std::vector<double>(measures, 0.0));
        for (std::size_t d = 0; d < designs; ++d) {
            for (int r = 0; r < have[p]; ++r) {
                const auto& v = cache_.at(wire_outer(p, d, res.chosen_at[p][d], r));
                for (std::size_t m = 0; m < measures; ++m) per[d][m] += v[m];
            }
            for (auto& x : per[d]) x /= have[p];
        }
        res.means.push_back(std::move(per));
    }
    res.items_computed = computed_;
    res.items_total = needed_;
    return res;
}

}  // namespace salesflow::app
