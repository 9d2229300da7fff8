#pragma once
// RankingSelection: choose the best of k simulated systems with a statistical guarantee,
// under common random numbers (CRN), in two stages (docs/study-method.md, "Ranking and
// selection"):
//
//  1. Screening (Nelson, Swann, Goldsman and Song 2001, "Simple procedures for selecting
//     the best simulated system when the number of alternatives is large", Operations
//     Research 49(6)): every system gets n0 replications; with S_ij^2 the sample variance
//     of the paired differences X_i - X_j over those n0 and
//         W_ij = t * S_ij / sqrt(n0),   t = the 1 - alpha1/(k-1) quantile of Student's t
//                                           with n0 - 1 degrees of freedom,
//     system i survives when mean_i >= mean_j - max(0, W_ij - delta) for every j != i.
//     The survivors contain the best with probability >= 1 - alpha1 whenever the best
//     exceeds the others by at least delta.
//     Deliberate deviation from the brief: t uses the Bonferroni quantile 1 - alpha1/(k-1),
//     not (1 - alpha1)^(1/(k-1)). The product form rests on independence between systems,
//     which CRN removes; the Bonferroni form is the one valid under CRN (it is the
//     slightly larger of the two, so never less conservative).
//
//  2. Fully sequential selection among the survivors (Kim and Nelson 2001, "A fully
//     sequential procedure for indifference-zone selection in simulation", ACM TOMACS
//     11(3), procedure KN): with the paired variances S_il^2 of the same first n0
//     replications,
//         eta = 0.5 * ((2 * alpha2 / (k - 1))^(-2 / (n0 - 1)) - 1),   h^2 = 2 * eta * (n0 - 1),
//     after r replications of every survivor system i leaves when
//         mean_i(r) < mean_l(r) - max(0, delta / (2 r) * (h^2 * S_il^2 / delta^2 - r))
//     for some surviving l. k here is the number of systems BEFORE screening (so the
//     union bound over the pairs that could eliminate the best adds up to alpha2 whatever
//     screening removed). The procedure ends when one system is left, or when the
//     continuation region has closed for every pair (r > h^2 S_il^2 / delta^2): the
//     largest mean wins (ties to the lowest index).
//
//  alpha1 + alpha2 = alpha (Bonferroni), so the chosen system is the best with
//  probability >= 1 - alpha when the best is at least delta better than every other.
//  A cap on the replications per system ends the procedure early: the systems still in
//  contention are reported as statistically tied (the one with the best mean is named).
//  A single system (k = 1) still gets its n0 replications, so its mean is reported.
//
// The procedure asks for work in ROUNDS: "replications [first, first + count) of these
// systems". The same replication index for different systems must use common random
// numbers (the same seeds); different indices must be independent. Every sample of a
// round can be computed in parallel; the procedure never looks at partial rounds.
// Deterministic: the same samples give the same decisions; nothing random inside.
// Allocation: the per-round bookkeeping reuses its buffers (O(k^2) memory for the pair
// variances of the survivors, O(k * n0) for the first stage).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <vector>

namespace salesflow::design {

enum class Direction { maximise, minimise };

struct RankingOptions {
    Direction direction = Direction::maximise;
    double delta = 0.0;               // indifference zone, > 0, in the objective's units
    double alpha = 0.05;              // 1 - the guaranteed probability of correct selection, in (0, 1)
    double screening_share = 0.5;     // alpha1 = screening_share * alpha, alpha2 = the rest; in (0, 1)
    int first_stage = 10;             // n0 >= 2 replications of every system
    int max_replications = 1000;      // cap per system, >= first_stage
    int step = 1;                     // stage 2: replications per survivor between two looks (>= 1).
                                      // Looking less often keeps the guarantee (an elimination
                                      // at a look is also one of the fully sequential procedure).
};

// Throws std::invalid_argument naming the offending option.
void check_options(const RankingOptions& options, std::size_t systems);

// Where a system ended.
enum class Outcome {
    screened_out,  // removed by stage 1
    eliminated,    // removed by stage 2
    chosen,        // the selected system
    tied,          // still in contention when the cap was reached (not chosen)
};
const char* outcome_name(Outcome o);  // "screened_out", "eliminated", "chosen", "tied"

struct RankingResult {
    std::size_t chosen = 0;              // index of the selected system
    std::vector<std::size_t> tied;       // ascending: the systems in contention at the end, the chosen one
                                         // included (size 1 unless the cap was reached)
    bool capped = false;                 // the cap ended the procedure
    std::vector<int> replications;       // per system: replications spent
    std::vector<double> means;           // per system: sample mean over its replications (user's direction)
    std::vector<int> eliminated_at;      // per system: replications it had when removed; 0 when never removed
    std::vector<Outcome> outcome;        // per system
    std::size_t survivors_of_screening = 0;
    long long total_replications = 0;
    // Constants actually used.
    double alpha1 = 0.0, alpha2 = 0.0;
    double screening_t = 0.0;            // t quantile of stage 1 (0 when k == 1)
    double eta = 0.0, h2 = 0.0;          // stage 2 constants (0 when k == 1)
};

// One request: replications [first_replication, first_replication + count) of `systems`
// (ascending indices). Replications are 0-based.
struct Round {
    std::span<const std::size_t> systems;
    int first_replication = 0;
    int count = 0;
};

// The procedure as a state machine, for callers that schedule work themselves (threads,
// MPI, a journal to resume from):
//     RankingSelection rs(k, options);
//     while (!rs.done()) { Round r = rs.round(); ...compute...; rs.record(values); }
//     RankingResult res = rs.result();
class RankingSelection {
public:
    RankingSelection(std::size_t systems, RankingOptions options);  // throws std::invalid_argument

    bool done() const { return done_; }
    // The current request (valid until the next record()). Stage 1 is one round of n0
    // replications of all systems; stage 2 rounds are `step` replications (less at the
    // cap) of the survivors.
    Round round() const;
    // The samples of the current round, replication-major:
    //     values[t * round().systems.size() + j] = system systems[j] at replication first_replication + t.
    // Throws std::invalid_argument on a size mismatch or a non-finite value.
    void record(std::span<const double> values);
    // The result; throws std::logic_error before done().
    RankingResult result() const;

    std::size_t systems() const { return k_; }
    const RankingOptions& options() const { return options_; }

private:
    void screen();
    void eliminate();
    void finish(bool capped);
    double pair_variance(std::size_t i, std::size_t l) const;  // S_il^2 from the first stage

    std::size_t k_;
    RankingOptions options_;
    double sign_ = 1.0;                    // -1 when minimising: the procedure maximises sign * X
    bool done_ = false;
    int r_ = 0;                            // replications of every survivor so far
    std::vector<std::size_t> alive_;       // ascending survivors
    std::vector<double> first_;            // k * n0 first-stage samples (sign applied), system-major
    std::vector<double> sum_;              // per system: sum of sign * X
    std::vector<double> s2_;               // survivors' pair variances, s2_dim_^2
    std::size_t s2_dim_ = 0;               // survivors of screening
    std::vector<std::size_t> s2_index_;    // system -> row of s2_
    std::vector<char> keep_;               // scratch
    RankingResult res_;
};

// The convenience loop: `sample(systems, replication, out)` fills out[j] with system
// systems[j] at `replication` (CRN across systems at the same replication). Called once
// per replication index of each round; the caller may compute the entries of `out` in
// parallel.
using SampleRound = std::function<void(std::span<const std::size_t> systems, int replication, std::span<double> out)>;
RankingResult select_best(std::size_t systems, const RankingOptions& options, const SampleRound& sample);

}  // namespace salesflow::design
