#pragma once
// StudyRunner: the computation of a study (docs/study.md). Every simulation it needs is
// an item named by a number (its "wire" number, the same on every thread and MPI rank):
//
//   selection at the central values:  ((d * C + c) * R + r)
//   outer point p:                    2^40 + (((p * D + d) * C + c) * R + r)
//
// with d the design, c the candidate (lever combination), r the replication, C = 500
// candidates, R = 10000 replications and D = 8 designs at most. An item's numbers depend
// only on its number (replication r of every candidate and design uses the same random
// streams: common random numbers), so results do not depend on threads, ranks or order.
// Items run in rounds on the one ordered executor (threads and MPI ranks); each result
// is kept in a cache and appended to the study's journal as it is emitted, so a resumed
// study replays the journal and recomputes only what is missing: the procedure is
// deterministic given the items' numbers, so the result equals an uninterrupted run's.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/SweepJournal.hpp"
#include "app/SweepPrecision.hpp"
#include "design/RankingSelection.hpp"
#include "design/Sensitivity.hpp"
#include "input/StudyPlan.hpp"
#include "models/ReplicationRunner.hpp"

namespace salesflow::app {

struct StudyInterrupted {};  // thrown when a stop signal ended a round early

struct DesignSelection {
    design::RankingResult ranking;
    std::size_t chosen = 0;
};

struct StudyResult {
    std::vector<DesignSelection> selection;                 // per design, at the central values
    std::vector<std::vector<std::size_t>> chosen_at;        // [point][design]: candidate used there
    std::vector<std::vector<double>> values;                // [point]: the assumptions' values
    std::vector<std::vector<std::vector<double>>> means;    // [point][design][measure]: mean over replications
    std::vector<int> replications_at;                       // [point]: paired replications run there
    std::vector<double> achieved_at;                        // [point]: --precision: relative half-width, percent
    long long items_computed = 0;                           // simulated here (not from the journal)
    long long items_total = 0;                              // items the study needed
};

class StudyRunner {
public:
    static constexpr long long max_r = 10'000;
    static constexpr long long max_c = 500;
    static constexpr long long max_d = 8;
    static constexpr long long outer_base = 1LL << 40;

    StudyRunner(const input::StudyPlan& plan, int threads, const std::atomic<bool>* stop);

    // --precision: the outer design's paired replications grow per point until the
    // paired difference of the measure `p.column` (of plan.measures()) from the first
    // design meets the precision, or p.cap (SweepPrecision's rule). Call before
    // open_journal: the precision is part of the journal's identity.
    void set_precision(const SweepPrecision& p) { precision_ = p; }

    // The item's measures (plan.measures(), in order) as a replication output.
    model::ReplicationOutput compute(long long wire) const;

    // Root only: journal beside `out` (fresh, or replayed when `resume`). Returns the
    // number of items replayed; throws UsageError when a resume does not match.
    long long open_journal(const std::string& out, bool resume);
    void remove_journal();

    // Called after each replication of a round is emitted: (done, round size).
    void set_progress(std::function<void(long long, long long)> progress) { progress_ = std::move(progress); }

    // Runs the whole study (throws StudyInterrupted on a stop signal).
    StudyResult run(const std::function<void(const std::string&)>& say);

    long long wire_selection(std::size_t d, std::size_t c, int r) const;
    long long wire_outer(std::size_t p, std::size_t d, std::size_t c, int r) const;

private:
    // Makes sure every item is in the cache (computing the missing ones in parallel).
    void evaluate(const std::vector<long long>& wires);
    // Ranking and selection of every design, items from `wire(d, c, r)`.
    std::vector<DesignSelection> select(const std::function<long long(std::size_t, std::size_t, int)>& wire);
    std::vector<double> values_of(long long wire) const;

    const input::StudyPlan& plan_;
    int threads_;
    const std::atomic<bool>* stop_;
    std::uint64_t run_id_;
    std::unordered_map<long long, std::vector<double>> cache_;
    std::optional<SweepJournal> journal_;
    long long journal_records_ = 0;
    long long computed_ = 0;
    long long needed_ = 0;
    std::function<void(long long, long long)> progress_;
    std::optional<SweepPrecision> precision_;
};

}  // namespace salesflow::app
