// `salesflow study`: each design at its best within the budget (ranking and selection on
// common random numbers), then an outer Latin hypercube over the uncertain assumptions
// with every design at its chosen configuration on paired replications; the
// distribution of the objective's difference and ratio, the probability that each
// design is best, the claims' probabilities and the assumptions' first-order
// sensitivity indices. Writes /studies/<name> (docs/study.md, docs/results-format.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/Commands.hpp"
#include "app/Progress.hpp"
#include "app/ScenarioInput.hpp"
#include "app/StopSignal.hpp"
#include "app/StudyRunner.hpp"
#include "app/Version.hpp"
#include "app/WorkDistribution.hpp"
#include "design/Claims.hpp"
#include "design/Sensitivity.hpp"
#include "input/InputError.hpp"
#include "input/TextUtil.hpp"
#include "input/Quantities.hpp"
#include "input/StudyPlan.hpp"
#include "kernel/Summary.hpp"
#include "output/ResultsFile.hpp"
#include "output/OutputTarget.hpp"

namespace salesflow::app {

namespace {

constexpr double probs[] = {0.05, 0.25, 0.5, 0.75, 0.95};

struct Distribution {
    double mean = NAN, sd = NAN, min = NAN, max = NAN;
    std::vector<double> q;  // at probs
};

Distribution distribution_of(const std::vector<double>& x) {
    Distribution d;
    std::vector<double> v;
    for (double a : x)
        if (std::isfinite(a)) v.push_back(a);
    d.q = design::quantiles(x, probs);
    if (v.empty()) return d;
    const auto s = kernel::summarize(v);
    d.mean = s.mean;
    d.sd = s.sd;
    d.min = *std::min_element(v.begin(), v.end());
    d.max = *std::max_element(v.begin(), v.end());
    return d;
}

struct SensitivityRow {
    std::string quantity;
    std::string assumption;
    design::InputSensitivity s;
};

struct ClaimRow {
    const input::StudyClaim* claim;
    design::ClaimProbability p;
    Distribution dist;
    std::vector<double> values;  // per point
};

struct Analysis {
    std::vector<std::vector<double>> objective;   // [design][point]
    std::vector<std::vector<double>> difference;  // [design][point], against design 0
    std::vector<std::vector<double>> ratio;
    std::vector<std::size_t> best;                // per point
    std::vector<design::Proportion> p_best;       // per design
    std::vector<ClaimRow> claims;
    std::vector<SensitivityRow> sensitivity;
    std::vector<std::string> sensitivity_skipped;
};

double compare_of(input::ClaimCompare c, double of, double to) {
    switch (c) {
    case input::ClaimCompare::ratio: return to != 0.0 ? of / to : NAN;
    case input::ClaimCompare::change: return to != 0.0 ? (of - to) / std::abs(to) : NAN;
    case input::ClaimCompare::difference: return of - to;
    }
    return NAN;
}

Analysis analyse(const input::StudyPlan& plan, const StudyResult& res) {
    Analysis a;
    const std::size_t designs = plan.designs().size(), points = res.means.size();
    const double sign = plan.direction() == model::Direction::lower ? -1.0 : 1.0;
    a.objective.assign(designs, std::vector<double>(points));
    a.difference.assign(designs, std::vector<double>(points));
    a.ratio.assign(designs, std::vector<double>(points));
    for (std::size_t p = 0; p < points; ++p)
        for (std::size_t d = 0; d < designs; ++d) a.objective[d][p] = res.means[p][d][0];
    std::vector<std::size_t> wins(designs, 0);
    for (std::size_t p = 0; p < points; ++p) {
        std::size_t best = 0;
        for (std::size_t d = 0; d < designs; ++d) {
            a.difference[d][p] = a.objective[d][p] - a.objective[0][p];
            a.ratio[d][p] = a.objective[0][p] != 0.0 ? a.objective[d][p] / a.objective[0][p] : NAN;
            if (sign * a.objective[d][p] > sign * a.objective[best][p]) best = d;
        }
        a.best.push_back(best);
        ++wins[best];
    }
    for (std::size_t d = 0; d < designs; ++d) a.p_best.push_back(design::wilson_interval(wins[d], points));
    for (const auto& c : plan.claims()) {
        ClaimRow row{&c, {}, {}, {}};
        for (std::size_t p = 0; p < points; ++p)
            row.values.push_back(compare_of(c.compare, res.means[p][c.of][c.measure], res.means[p][c.to][c.measure]));
        row.p = design::claim_probability(c.test, row.values);
        row.dist = distribution_of(row.values);
        a.claims.push_back(std::move(row));
    }
    // Sensitivity of each difference from the first design and of each claim's quantity.
    const std::size_t dims = plan.assumptions().size();
    std::vector<std::pair<std::string, const std::vector<double>*>> outputs;
    if (designs == 1) outputs.emplace_back(plan.designs()[0].name + "." + plan.objective(), &a.objective[0]);
    for (std::size_t d = 1; d < designs; ++d) outputs.emplace_back("difference." + plan.designs()[d].name, &a.difference[d]);
    for (const auto& c : a.claims) outputs.emplace_back("claim." + c.claim->name, &c.values);
    design::SensitivityOptions opt;
    opt.seed = plan.outer_seed();
    for (const auto& [name, y] : outputs) {
        std::vector<double> x, yy;
        for (std::size_t p = 0; p < points; ++p) {
            if (!std::isfinite((*y)[p])) continue;
            x.insert(x.end(), res.values[p].begin(), res.values[p].end());
            yy.push_back((*y)[p]);
        }
        try {
            const auto s = design::first_order_indices(x, dims, yy, opt);
            for (std::size_t k = 0; k < dims; ++k) a.sensitivity.push_back({name, plan.assumptions()[k].path, s.inputs[k]});
        } catch (const std::exception& e) {
            a.sensitivity_skipped.push_back(name + ": " + e.what());
        }
    }
    return a;
}

void write_study(output::ResultsFile& file, const input::StudyPlan& plan, const StudyResult& res, const Analysis& a,
                 long long resumed_items, const std::optional<SweepPrecision>& precision) {
    const std::string g = "/studies/" + plan.name();
    const std::size_t designs = plan.designs().size();
    {   // candidates
        output::TableSchema s;
        s.add_text("design").add_int64("candidate").add_text("levers").add_float64("annual_cost").add_int64("replications");
        s.add_float64("mean").add_text("outcome").add_int64("eliminated_at");
        auto t = file.create_table(g + "/candidates", s);
        auto b = t.make_batch();
        for (std::size_t d = 0; d < designs; ++d) {
            const auto& des = plan.designs()[d];
            const auto& r = res.selection[d].ranking;
            for (std::size_t c = 0; c < des.candidates.size(); ++c) {
                b.put_text(des.name).put_int64(static_cast<std::int64_t>(c)).put_text(plan.candidate_text(d, c));
                b.put_float64(des.annual_cost[c]).put_int64(r.replications[c]).put_float64(r.means[c]);
                b.put_text(design::outcome_name(r.outcome[c])).put_int64(r.eliminated_at[c]);
            }
        }
        t.append(b);
        t.close();
    }
    {   // outer_points
        output::TableSchema s;
        s.add_int64("point");
        for (const auto& as : plan.assumptions()) s.add_float64(as.path);
        for (const auto& des : plan.designs()) s.add_int64(des.name + ".candidate");
        for (const auto& des : plan.designs())
            for (const auto& m : plan.measures())
                if (m == plan.measures().front() || true) s.add_float64(des.name + "." + m);
        for (std::size_t d = 1; d < designs; ++d) s.add_float64("difference." + plan.designs()[d].name);
        for (std::size_t d = 1; d < designs; ++d) s.add_float64("ratio." + plan.designs()[d].name);
        s.add_text("best");
        for (const auto& c : plan.claims()) s.add_float64("claim." + c.name);
        if (precision) s.add_int64("replications").add_float64("precision_achieved_percent");
        auto t = file.create_table(g + "/outer_points", s);
        auto b = t.make_batch();
        for (std::size_t p = 0; p < res.means.size(); ++p) {
            b.put_int64(static_cast<std::int64_t>(p));
            for (double v : res.values[p]) b.put_float64(v);
            for (std::size_t d = 0; d < designs; ++d) b.put_int64(static_cast<std::int64_t>(res.chosen_at[p][d]));
            for (std::size_t d = 0; d < designs; ++d)
                for (double v : res.means[p][d]) b.put_float64(v);
            for (std::size_t d = 1; d < designs; ++d) b.put_float64(a.difference[d][p]);
            for (std::size_t d = 1; d < designs; ++d) b.put_float64(a.ratio[d][p]);
            b.put_text(plan.designs()[a.best[p]].name);
            for (const auto& c : a.claims) b.put_float64(c.values[p]);
            if (precision) b.put_int64(res.replications_at[p]).put_float64(res.achieved_at[p]);
        }
        t.append(b);
        t.close();
    }
    {   // sensitivity
        output::TableSchema s;
        s.add_text("quantity").add_text("assumption");
        for (const char* c : {"first_order", "ci_low", "ci_high", "raw", "low_mean", "high_mean", "low_x", "high_x"})
            s.add_float64(c);
        auto t = file.create_table(g + "/sensitivity", s);
        auto b = t.make_batch();
        for (const auto& r : a.sensitivity) {
            b.put_text(r.quantity).put_text(r.assumption);
            for (double v : {r.s.first_order, r.s.lower, r.s.upper, r.s.raw, r.s.low_mean, r.s.high_mean, r.s.low_x, r.s.high_x})
                b.put_float64(v);
        }
        t.append(b);
        t.close();
    }
    {   // claims
        output::TableSchema s;
        s.add_text("claim").add_text("metric").add_text("compare").add_text("of").add_text("to").add_text("test");
        s.add_float64("probability").add_float64("ci_low").add_float64("ci_high").add_int64("n").add_int64("missing");
        s.add_float64("mean").add_float64("q05").add_float64("q50").add_float64("q95");
        auto t = file.create_table(g + "/claims", s);
        auto b = t.make_batch();
        for (const auto& c : a.claims) {
            b.put_text(c.claim->name).put_text(c.claim->metric).put_text(input::claim_compare_name(c.claim->compare));
            b.put_text(plan.designs()[c.claim->of].name).put_text(plan.designs()[c.claim->to].name).put_text(c.claim->test.text());
            b.put_float64(c.p.p.estimate).put_float64(c.p.p.lower).put_float64(c.p.p.upper);
            b.put_int64(static_cast<std::int64_t>(c.p.p.n)).put_int64(static_cast<std::int64_t>(c.p.missing));
            b.put_float64(c.dist.mean).put_float64(c.dist.q[0]).put_float64(c.dist.q[2]).put_float64(c.dist.q[4]);
        }
        t.append(b);
        t.close();
    }
    {   // summary
        output::TableSchema s;
        s.add_text("quantity").add_text("design");
        for (const char* c : {"mean", "sd", "q05", "q25", "q50", "q75", "q95", "min", "max", "probability", "p_ci_low", "p_ci_high"})
            s.add_float64(c);
        auto t = file.create_table(g + "/summary", s);
        auto b = t.make_batch();
        auto row = [&](const std::string& q, const std::string& d, const std::vector<double>& x, const design::Proportion* pr) {
            const auto dist = distribution_of(x);
            b.put_text(q).put_text(d).put_float64(dist.mean).put_float64(dist.sd);
            for (double v : dist.q) b.put_float64(v);
            b.put_float64(dist.min).put_float64(dist.max);
            b.put_float64(pr ? pr->estimate : NAN).put_float64(pr ? pr->lower : NAN).put_float64(pr ? pr->upper : NAN);
        };
        for (std::size_t d = 0; d < designs; ++d) row("objective", plan.designs()[d].name, a.objective[d], &a.p_best[d]);
        for (std::size_t d = 1; d < designs; ++d) row("difference", plan.designs()[d].name, a.difference[d], nullptr);
        for (std::size_t d = 1; d < designs; ++d) row("ratio", plan.designs()[d].name, a.ratio[d], nullptr);
        t.append(b);
        t.close();
    }
    file.set_string_attribute(g, "study_yaml", plan.study_text());
    file.set_string_attribute(g, "study_file", plan.file());
    file.set_string_attribute(g, "objective", plan.objective());
    file.set_string_attribute(g, "direction", model::direction_name(plan.direction()));
    file.set_uint_attribute(g, "seed", plan.seed());
    file.set_uint_attribute(g, "outer_seed", plan.outer_seed());
    file.set_int_attribute(g, "points", static_cast<std::int64_t>(plan.points()));
    file.set_int_attribute(g, "replications", plan.outer_replications());
    if (precision) {
        file.set_double_attribute(g, "precision_target_percent", precision->target_percent);
        file.set_string_attribute(g, "precision_metric", precision->metric);
        file.set_int_attribute(g, "precision_max_replications", precision->cap);
    }
    file.set_int_attribute(g, "quick", plan.quick() ? 1 : 0);
    file.set_int_attribute(g, "reoptimise", plan.reoptimise() ? 1 : 0);
    file.set_double_attribute(g, "alpha", plan.alpha());
    file.set_double_attribute(g, "indifference_zone", plan.indifference_zone());
    file.set_int_attribute(g, "first_stage", plan.first_stage());
    file.set_int_attribute(g, "max_replications", plan.max_replications());
    file.set_string_attribute(g, "budget", plan.budget_kind() == input::BudgetKind::none ? "none"
                                           : plan.budget_kind() == input::BudgetKind::cost_at_most
                                               ? "cost_at_most " + input::format_number(plan.budget())
                                               : "equal_cost " + input::format_number(plan.budget()) + " tolerance " +
                                                     input::format_number(plan.tolerance()));
    file.set_int_attribute(g, "mpi_size", world_size());
    file.set_int_attribute(g, "resumed_items", resumed_items);
    file.set_int_attribute(g, "complete", 1);
    std::vector<std::string> names, chosen, paths;
    for (std::size_t d = 0; d < designs; ++d) {
        names.push_back(plan.designs()[d].name);
        chosen.push_back(plan.candidate_text(d, res.selection[d].chosen));
        file.set_string_attribute(g, "scenario_yaml." + plan.designs()[d].name, plan.designs()[d].base.resolved_yaml);
    }
    for (const auto& as : plan.assumptions()) paths.push_back(as.path);
    file.set_string_array_attribute(g, "designs", names);
    file.set_string_array_attribute(g, "chosen", chosen);
    file.set_string_array_attribute(g, "assumptions", paths);
    file.set_string_array_attribute(g + "/sensitivity", "skipped", a.sensitivity_skipped);
}

std::string fmt(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string pct(const design::Proportion& p) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%5.1f%% [%.1f%%, %.1f%%]", 100 * p.estimate, 100 * p.lower, 100 * p.upper);
    return buf;
}

void print_study(std::ostream& os, const input::StudyPlan& plan, const StudyResult& res, const Analysis& a) {
    const std::size_t designs = plan.designs().size();
    os << "\n1. each design at its best within the budget (" << plan.objective() << ", "
       << model::direction_name(plan.direction()) << " is better; ranking and selection: screening, then KN, alpha "
       << plan.alpha() << ", indifference zone " << plan.indifference_zone() << ")\n";
    for (std::size_t d = 0; d < designs; ++d) {
        const auto& des = plan.designs()[d];
        const auto& r = res.selection[d].ranking;
        const std::size_t c = res.selection[d].chosen;
        os << "  " << des.name << ": " << (plan.candidate_text(d, c).empty() ? "(no levers)" : plan.candidate_text(d, c))
           << "\n    " << plan.objective() << " " << fmt(r.means[c]) << " at the medians, annual cost "
           << fmt(des.annual_cost[c]) << "; " << des.candidates.size() << " of " << des.combinations
           << " combinations within the budget, " << r.survivors_of_screening << " survived screening, "
           << r.total_replications << " replications";
        if (r.tied.size() > 1) {
            os << "; statistically tied (cap reached):";
            for (const std::size_t t : r.tied)
                if (t != c) os << " [" << plan.candidate_text(d, t) << "]";
        }
        os << "\n";
    }
    os << "\n2. over the uncertain assumptions (" << plan.points() << " Latin hypercube points x ";
    const auto [fewest, most] = std::minmax_element(res.replications_at.begin(), res.replications_at.end());
    if (!res.replications_at.empty() && *fewest != *most)
        os << *fewest << " to " << *most << " paired replications, by --precision)\n";
    else
        os << (res.replications_at.empty() ? plan.outer_replications() : *fewest) << " paired replications)\n";
    for (std::size_t d = 0; d < designs; ++d)
        os << "  P(" << plan.designs()[d].name << " is best) = " << pct(a.p_best[d]) << "\n";
    // A ratio of signed values misleads (a smaller loss over a gain is negative, two losses
    // give a ratio above 1 for the larger loss): printed only when the first design's
    // objective is positive at every point (the file keeps it at every point).
    const bool base_positive =
        std::all_of(a.objective[0].begin(), a.objective[0].end(), [](double v) { return v > 0.0; });
    for (std::size_t d = 1; d < designs; ++d) {
        for (int k = 0; k < 2; ++k) {
            if (k == 1 && !base_positive) {
                os << "  " << plan.objective() << " ratio not shown: " << plan.designs()[0].name
                   << "'s is not positive at every point (see the difference)\n";
                continue;
            }
            const auto dist = distribution_of(k == 0 ? a.difference[d] : a.ratio[d]);
            os << "  " << plan.objective() << " " << (k == 0 ? "difference" : "ratio     ") << " "
               << plan.designs()[d].name << (k == 0 ? " - " : " / ") << plan.designs()[0].name << ": mean " << fmt(dist.mean)
               << ", 5%/50%/95% quantiles " << fmt(dist.q[0]) << " / " << fmt(dist.q[2]) << " / " << fmt(dist.q[4]) << "\n";
        }
    }
    os << "\n3. claims (share of the points where the claim holds, 95% Wilson interval)" << (a.claims.empty() ? ": none\n" : "\n");
    for (const auto& c : a.claims)
        os << "  " << c.claim->name << ": " << c.claim->metric << " " << input::claim_compare_name(c.claim->compare) << " of "
           << plan.designs()[c.claim->of].name << " to " << plan.designs()[c.claim->to].name << " "
           << c.claim->test.text() << ": P = " << pct(c.p.p) << " (median " << fmt(c.dist.q[2]) << ")\n";
    os << "\n4. which assumptions decide it (first-order sensitivity indices, 95% bootstrap interval; those whose\n"
          "   interval excludes 0; every index is in the file's sensitivity table)\n";
    std::string current;
    std::vector<const SensitivityRow*> rows;
    auto flush = [&] {
        std::sort(rows.begin(), rows.end(), [](auto* x, auto* y) { return x->s.first_order > y->s.first_order; });
        std::size_t hidden = 0;
        for (const auto* r : rows) {
            if (!(r->s.lower > 0.0)) {
                ++hidden;
                continue;
            }
            char buf[256];
            std::snprintf(buf, sizeof buf, "    %-44s %6.2f [%5.2f, %5.2f]  low %s high %s\n", r->assumption.c_str(),
                          r->s.first_order, r->s.lower, r->s.upper, fmt(r->s.low_mean).c_str(), fmt(r->s.high_mean).c_str());
            os << buf;
        }
        if (hidden == rows.size() && !rows.empty())
            os << "    none distinguishable from 0 with " << plan.points() << " points (more outer points narrow the intervals)\n";
        else if (hidden > 0)
            os << "    " << hidden << " other assumption(s): interval includes 0\n";
        rows.clear();
    };
    for (const auto& r : a.sensitivity) {
        if (r.quantity != current) {
            flush();
            current = r.quantity;
            os << "  " << current << "\n";
        }
        rows.push_back(&r);
    }
    flush();
    for (const auto& s : a.sensitivity_skipped) os << "  not computed: " << s << "\n";
}

}  // namespace

int study_command(const Settings& settings) {
    std::optional<input::StudyPlan> loaded;
    try {
        loaded = input::StudyPlan::load(settings.files[0], settings.quick, settings.overrides.seed);
        for (const auto& des : loaded->designs()) check_results_fit(des.base);
    } catch (const input::InputError& e) {
        if (is_root_rank()) std::cerr << e.what() << "\n";
        return 2;
    }
    const input::StudyPlan& plan = *loaded;
    const auto& stop = install_stop_signal();
    StudyRunner runner(plan, settings.threads, &stop);
    // --precision: of a measure of the study (the objective or a claim's metric), on the
    // outer design's paired replications (docs/study.md).
    std::optional<SweepPrecision> precision;
    if (settings.precision) {
        const auto& ms = plan.measures();
        const auto at = std::find(ms.begin(), ms.end(), settings.metric);
        if (at == ms.end()) {
            if (is_root_rank())
                std::cerr << "salesflow: --metric: a study makes precise its objective or a claim's metric ("
                          << input::join(ms) << "), got '" << settings.metric << "'\n";
            return 2;
        }
        if (settings.max_replications > StudyRunner::max_r) {
            if (is_root_rank())
                std::cerr << "salesflow: --max-replications: a study runs at most " << StudyRunner::max_r
                          << " replications per outer point, got " << settings.max_replications << "\n";
            return 2;
        }
        precision = SweepPrecision{*settings.precision, settings.metric, settings.max_replications,
                                   static_cast<std::size_t>(at - ms.begin())};
        runner.set_precision(*precision);
    }
    if (!is_root_rank()) {
        serve_items([&](long long wire) { return runner.compute(wire); });
        return 0;
    }
    const std::string out = settings.output.empty() ? "results/" + output::bounded_name(plan.name(), ".h5") : settings.output;
    check_output_path(out);
    auto file = output::ResultsFile::create(out, version_string, settings.invocation);
    long long resumed = 0;
    try {
        resumed = runner.open_journal(out, settings.resume);
    } catch (const UsageError& e) {
        std::cerr << "salesflow: " << e.what() << "\n";
        stop_workers();
        return 2;
    }
    auto say = [&](const std::string& s) {
        if (!settings.quiet) std::cout << "study " << plan.name() << ": " << s << "\n" << std::flush;
    };
    say(std::to_string(plan.designs().size()) + " designs, " + std::to_string(plan.assumptions().size()) +
        " uncertain assumptions, seed " + std::to_string(plan.seed()) + (plan.quick() ? ", --quick" : "") +
        (resumed > 0 ? ", resuming with " + std::to_string(resumed) + " replications from the journal" : "") + ", " +
        describe_parallelism(settings.threads));
    const auto t0 = std::chrono::steady_clock::now();
    StudyResult res;
    // A progress bar for each round of at least 100 replications (the first stage of the
    // selection, the outer design); the short rounds of the sequential stage show none.
    std::unique_ptr<Progress> progress;
    runner.set_progress([&](long long done, long long total) {
        if (total < 100) return;
        if (done == 1 || !progress) progress = std::make_unique<Progress>(settings.quiet, "replications");
        progress->update(done, total);
        if (done == total) {
            progress->finish();
            progress.reset();
        }
    });
    try {
        res = runner.run(say);
    } catch (const StudyInterrupted&) {
        stop_workers();
        std::cerr << "salesflow: interrupted: the replications completed are kept in the journal beside " << out
                  << "; continue with: salesflow study " << settings.files[0] << (settings.quick ? " --quick" : "")
                  << " --resume -o " << out << "\n";
        return 1;
    } catch (const std::exception& e) {
        stop_workers();
        std::cerr << "salesflow: error: " << e.what() << "\nsalesflow: the replications completed are kept in the journal beside "
                  << out << "; once the cause is fixed, continue with: salesflow study " << settings.files[0]
                  << (settings.quick ? " --quick" : "") << " --resume -o " << out << "\n";
        return 1;
    }
    stop_workers();
    const Analysis a = analyse(plan, res);
    write_study(file, plan, res, a, resumed, precision);
    file.commit();
    runner.remove_journal();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!settings.quiet) {
        print_study(std::cout, plan, res, a);
        std::cout << "\n" << res.items_computed << " replications simulated in " << secs << " s\nresults: " << out << "\n";
    }
    return 0;
}

}  // namespace salesflow::app
