#include "app/CommandLine.hpp"

#include <cstdint>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>

#include "app/Version.hpp"

namespace po = boost::program_options;

namespace salesflow::app {

namespace {

const char* usage_text =
    "salesflow: discrete-event simulation of B2B sales-team flow\n"
    "\n"
    "usage:\n"
    "  salesflow run SCENARIO.yaml [-o OUT.h5] [--replications N] [--seed S] [--threads N]\n"
    "                              [--set PATH=VALUE]... [--leads] [--quiet]\n"
    "  salesflow compare A.yaml B.yaml [C.yaml ...] [-o OUT.h5] [--replications N] [--seed S] [--threads N]\n"
    "                              [--set [NAME:]PATH=VALUE]... [--objective METRIC]\n"
    "  salesflow sweep SWEEP.yaml [-o OUT.h5] [--threads N] [--replications N] [--resume] [--precision P --metric M]\n"
    "  salesflow validate SCENARIO.yaml [...] [--set PATH=VALUE]...\n"
    "  salesflow study STUDY.yaml [-o OUT.h5] [--quick] [--threads N] [--seed S] [--resume] [--precision P --metric M] [-q]   (see docs/study.md)\n"
    "  salesflow explain SCENARIO.yaml [--objective METRIC] [--set PATH=VALUE]... [-o OUT.h5] [--replications N] [--threads N]\n"
    "  salesflow calibrate EXPORT.csv [--map MAPPING.yaml] -o SCENARIO.yaml   (see docs/calibrate.md)\n"
    "  salesflow crm-export SCENARIO.yaml -o EXPORT.csv [--shape stage-history|field-history|deals]\n"
    "  salesflow serve [FOLDER] [--port 8080] [--host 127.0.0.1]   (the live workshop board)\n"
    "  salesflow --help | --version | SUBCOMMAND --help\n"
    "\n"
    "Exit status: 0 done; 2 the input or the arguments are wrong (nothing is written); 1 anything else.\n"
    "Without -o, results go to results/<scenario name>.h5 under the current folder.\n";

po::options_description common_options(CommandLine& cl) {
    po::options_description d("options");
    d.add_options()
        ("help,h", "show this help")
        ("output,o", po::value<std::string>(&cl.output), "results file (HDF5); default results/<name>.h5")
        ("replications,r", po::value<int>(), "replications (overrides simulation.replications)")
        ("seed,s", po::value<std::string>(), "seed, an integer in [0, 2^64 - 1] (overrides simulation.seed)")
        ("threads,j", po::value<int>(&cl.threads), "threads running replications; default all cores")
        ("set", po::value<std::vector<std::string>>(&cl.sets)->composing(),
         "override PATH=VALUE (repeatable); compare: NAME:PATH=VALUE changes only the file whose scenario name or "
         "file stem is NAME")
        ("leads", po::bool_switch(&cl.leads), "also write the per-lead log (/runs/<name>/leads)")
        ("quiet,q", po::bool_switch(&cl.quiet), "print nothing but errors")
        ("estimate", po::bool_switch(&cl.estimate_only), "print the analytic estimate and stop (run, validate)")
        ("precision", po::value<double>(), "add replications in batches until the 95% half-width of --metric "
                                           "(compare: of its paired difference; sweep: per point; study: per outer point, of the paired "
                                           "difference between designs) is at most P percent of its mean")
        ("metric", po::value<std::string>(&cl.metric), "metric for --precision, e.g. wins, lead_time_mean_h")
        ("max-replications", po::value<int>(&cl.max_replications), "cap for --precision (default 1000)")
        ("resume", po::bool_switch(&cl.resume), "sweep, study: continue an interrupted results file")
        ("quick", po::bool_switch(&cl.quick), "study: use the study file's quick: settings (fewer points and replications)")
        ("objective", po::value<std::string>(&cl.objective),
         "explain: the metric to explain; compare: the metric for the probability of being best; "
         "one with a direction (default profit)");
    return d;
}

std::string help_for(const std::string& command, const po::options_description& d) {
    std::ostringstream os;
    if (command == "run") {
        os << "salesflow run SCENARIO.yaml [options]\n\n"
              "Simulates the scenario's replications, writes /runs/<name>/ to the results file and prints\n"
              "the main metrics with 95% confidence intervals. Before simulating it prints the analytic\n"
              "estimate of visits per stage and offered load per role.\n\n";
    } else if (command == "compare") {
        os << "salesflow compare A.yaml B.yaml [C.yaml ...] [options]\n\n"
              "Simulates every scenario with common random numbers (same seed: the same arriving leads)\n"
              "and prints each metric's paired difference from the first scenario with its 95% interval,\n"
              "marked better or worse by the metric's direction, and the probability over paired replications\n"
              "that each organisation is best on --objective (default profit).\n\n";
    } else if (command == "sweep") {
        os << "salesflow sweep SWEEP.yaml [options]\n\n"
              "Runs the base scenario at every point of the sweep file (grid `vary`, `design: {latin_hypercube}`\n"
              "or `points`), every (point, replication) on the next free thread or MPI rank, and writes\n"
              "/sweeps/<name>/points and /replications. `scenarios: [a.yaml, b.yaml]` runs every listed scenario at\n"
              "every point on common random numbers and adds /differences (each point's paired differences, as\n"
              "compare). --precision P --metric M adds replications per point until M (or its paired difference)\n"
              "is within P%. SIGINT/SIGTERM/SIGHUP stop cleanly keeping completed work;\n"
              "--resume -o FILE continues an interrupted file.\n\n";
    } else if (command == "explain") {
        os << "salesflow explain SCENARIO.yaml [options]\n\n"
              "Where a lead's time goes per stage, where leads end, each role's load, and the constraint by\n"
              "experiment: +1/-1 person per role and every policy lever one step both ways, on common random\n"
              "numbers, ranked by the paired effect on --objective. Writes /explanations/<name>\n"
              "(default file results/<name>-explain.h5).\n\n";
    } else if (command == "study") {
        os << "salesflow study STUDY.yaml [options]\n\n"
              "Each design (organisation) at its best lever combination within the budget, chosen by ranking and\n"
              "selection on common random numbers; then an outer Latin hypercube over the uncertain assumptions with\n"
              "every design at its chosen configuration on paired replications: the distribution of the difference\n"
              "and ratio of the objective, the probability each design is best, the claims' probabilities and each\n"
              "assumption's first-order sensitivity index. Writes /studies/<name> (docs/study.md). --precision P\n"
              "--metric M grows each outer point's paired replications until M's paired difference is within P%.\n\n";
    } else if (command == "validate") {
        os << "salesflow validate SCENARIO.yaml [...] [--set PATH=VALUE]...\n\n"
              "Checks each file (after extends and --set), prints the analytic estimate and exits 0,\n"
              "or prints every problem as FILE:LINE:COLUMN: PATH: reason and exits 2.\n\n";
    } else {
        os << usage_text << "\n";
    }
    os << d;
    return os.str();
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
    CommandLine cl;
    for (int i = 0; i < argc; ++i) cl.invocation += (i ? " " : "") + std::string(argv[i]);
    if (argc < 2) throw UsageError(std::string("no command given\n\n") + usage_text);
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        cl.text = help_for("", common_options(cl));
        return cl;
    }
    if (first == "--version" || first == "-V") {
        cl.text = std::string("salesflow ") + version_string + "\n";
        return cl;
    }
    if (first == "calibrate" || first == "crm-export" || first == "serve") {  // these parse their own options
        cl.command = first;
        cl.args.assign(argv + 2, argv + argc);
        return cl;
    }
    if (first != "run" && first != "compare" && first != "validate" && first != "sweep" && first != "explain" &&
        first != "study")
        throw UsageError("unknown command '" + first + "' (expected run, compare, sweep, study, validate, explain, calibrate, crm-export or serve; see salesflow --help)");
    cl.command = first;

    auto d = common_options(cl);
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::vector<std::string>>(&cl.files), "");
    po::options_description all;
    all.add(d).add(hidden);
    po::positional_options_description pos;
    pos.add("file", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(std::string(e.what()) + " (see salesflow " + first + " --help)");
    }
    if (vm.count("help")) {
        cl.text = help_for(first, d);
        return cl;
    }
    if (vm.count("output") && cl.output.empty())
        throw UsageError("-o: the results file name is empty");
    if (vm.count("replications")) {
        const int n = vm["replications"].as<int>();
        if (n < 1) throw UsageError("--replications: must be >= 1, got '" + std::to_string(n) + "'");
        cl.replications = n;
    }
    if (vm.count("precision")) {
        const double p = vm["precision"].as<double>();
        if (!(p > 0.0 && p < 1000.0)) throw UsageError("--precision: must be a percentage > 0, got '" + std::to_string(p) + "'");
        if (cl.metric.empty()) throw UsageError("--precision needs --metric M (the metric to make precise)");
        cl.precision = p;
    } else if (!cl.metric.empty()) {
        throw UsageError("--metric is only used with --precision");
    }
    if (cl.max_replications < 2) throw UsageError("--max-replications: must be >= 2, got '" + std::to_string(cl.max_replications) + "'");
    if (vm.count("seed")) {
        // Digits only: a stream parser would read -1 as 2^64 - 1.
        const std::string s = vm["seed"].as<std::string>();
        std::uint64_t v = 0;
        bool ok = !s.empty() && s.size() <= 20;
        for (char c : s) {
            if (!ok) break;
            if (c < '0' || c > '9') ok = false;
            else if (v > (UINT64_MAX - static_cast<unsigned>(c - '0')) / 10) ok = false;
            else v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (!ok) throw UsageError("--seed: must be an integer in [0, 18446744073709551615], got '" + s + "'");
        cl.seed = v;
    }
    if (cl.threads < 0) throw UsageError("--threads: must be >= 0, got '" + std::to_string(cl.threads) + "'");
    if (cl.threads == 0) cl.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (const auto& s : cl.sets)
        if (s.find('=') == std::string::npos || s.front() == '=')
            throw UsageError("--set: expected PATH=VALUE, got '" + s + "'");
    if (cl.files.empty()) throw UsageError(first + ": no scenario file given (see salesflow " + first + " --help)");
    if (first == "sweep" && cl.files.size() != 1) throw UsageError("sweep: exactly one sweep file, got " + std::to_string(cl.files.size()));
    if (first == "sweep" && cl.leads) throw UsageError("sweep: --leads is for run and compare");
    if (first != "sweep" && first != "study" && cl.resume) throw UsageError("--resume is for sweep and study");
    if (first != "study" && cl.quick) throw UsageError("--quick is for study");
    if (first == "study" && (cl.files.size() != 1 || cl.leads || cl.estimate_only || cl.replications || !cl.sets.empty()))
        throw UsageError("study: exactly one study file, without --leads, --estimate, --replications or --set "
                         "(replications are set in the study file)");
    if (first != "explain" && first != "compare" && !cl.objective.empty())
        throw UsageError("--objective is for explain and compare");
    for (const auto& s : cl.sets) {
        const auto colon = s.find(':');
        if (first != "compare" && colon != std::string::npos && colon < s.find('='))
            throw UsageError("--set NAME:PATH=VALUE (one compared file) is for compare; write --set PATH=VALUE, got '" + s + "'");
    }
    if (first == "explain" && (cl.files.size() != 1 || cl.precision || cl.leads || cl.estimate_only))
        throw UsageError("explain: exactly one scenario file, without --precision, --leads or --estimate");
    if (first == "run" && cl.files.size() != 1) throw UsageError("run: exactly one scenario file, got " + std::to_string(cl.files.size()));
    if (first == "compare" && cl.files.size() < 2) throw UsageError("compare: at least two scenario files");
    if (first == "validate" && !cl.output.empty()) throw UsageError("validate writes nothing: -o makes no sense");
    return cl;
}

Settings settings_from(const CommandLine& cl) {
    Settings s;
    s.files = cl.files;
    s.output = cl.output;
    s.overrides = ScenarioOverrides{cl.sets, cl.replications, cl.seed};
    s.threads = cl.threads;
    s.leads = cl.leads;
    s.quiet = cl.quiet;
    s.estimate_only = cl.estimate_only;
    s.precision = cl.precision;
    s.metric = cl.metric;
    s.objective = cl.objective;
    s.max_replications = cl.max_replications;
    s.resume = cl.resume;
    s.quick = cl.quick;
    s.invocation = cl.invocation;
    return s;
}

}  // namespace salesflow::app
