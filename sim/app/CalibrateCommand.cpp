// `salesflow calibrate` (a CRM export -> a scenario, with its fit check) and
// `salesflow crm-export` (a simulated run's lead log -> a synthetic CRM export).
// docs/calibrate.md is the specification.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include <boost/program_options.hpp>

#include "app/Commands.hpp"
#include "calibrate/CrmExport.hpp"
#include "calibrate/ExportScanner.hpp"
#include "calibrate/FieldParse.hpp"
#include "calibrate/FitCheck.hpp"
#include "calibrate/Mapping.hpp"
#include "calibrate/ScenarioWriter.hpp"
#include "input/InputError.hpp"
#include "input/TextFile.hpp"
#include "output/OutputTarget.hpp"
#include "input/Quantities.hpp"
#include "input/ScenarioLoader.hpp"

namespace po = boost::program_options;

namespace salesflow::app {

namespace {

namespace fs = std::filesystem;

// Writes `text` to `path` through a temporary file in the same folder and a rename, so
// the target is complete or untouched.
// The files this command read (scenarios with their extends chains and traces, through
// the input layer) plus `also` (the export and mapping of calibrate), by identity.
std::vector<output::FileIdentity> inputs_of(const std::vector<std::string>& also) {
    std::vector<output::FileIdentity> ids;
    for (const auto& f : input::files_read()) ids.push_back({f.device, f.inode, f.path});
    for (const auto& p : also) {
        struct stat st {};
        if (!p.empty() && ::stat(p.c_str(), &st) == 0)
            ids.push_back({static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino), p});
    }
    return ids;
}

// Writes `text` to `path` through a temporary file in the same folder and a rename, so
// the target is complete or untouched. The target must be usable as for a results file
// (output::check_output_target: never a device, FIFO, folder, write-protected file or
// one of `inputs`): as root, `calibrate ... -o /dev/null` replaced the system's /dev/null
// with a regular file, and a FIFO or a file the scenario extends was replaced too.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& body,
                      const std::vector<output::FileIdentity>& inputs) {
    output::check_output_target(path, inputs);
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir)) throw UsageError("-o: the folder '" + dir.string() + "' does not exist");
    if (fs::is_directory(target)) throw UsageError("-o: '" + path + "' is a folder");
    std::random_device rd;
    const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 1000000));
    {
        std::ofstream f(tmp, std::ios::binary);
        if (!f) throw std::runtime_error("cannot write '" + tmp.string() + "'");
        body(f);
        f.flush();
        if (!f) {
            f.close();
            fs::remove(tmp);
            throw std::runtime_error("cannot write '" + path + "' (disk full?)");
        }
    }
    fs::rename(tmp, target);
}

bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

std::vector<std::string> argv_of(const CommandLine& cl) { return cl.args; }

po::variables_map parse(const CommandLine& cl, const po::options_description& d, const po::positional_options_description& pos,
                        const char* name) {
    po::variables_map vm;
    std::vector<std::string> args = argv_of(cl);
    try {
        po::store(po::command_line_parser(args).options(d).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(std::string(e.what()) + " (see salesflow " + name + " --help)");
    }
    return vm;
}

}  // namespace

int calibrate_command(const CommandLine& cl) {
    std::string export_path, map_path, output, name;
    double effort_share = 0.15, availability = 0.35;
    int check_reps = 40, threads = 0;
    bool quiet = false;
    std::uint64_t seed = 1;
    po::options_description d("options");
    d.add_options()
        ("help,h", "show this help")
        ("map,m", po::value<std::string>(&map_path), "mapping file (YAML): columns, stage names; default: columns deal, stage, timestamp")
        ("output,o", po::value<std::string>(&output), "scenario file to write (required)")
        ("name", po::value<std::string>(&name), "scenario name (default: the mapping's name, else from -o)")
        ("effort-share", po::value<double>(&effort_share), "share of a stage's elapsed time that is our work (assumption; default 0.15)")
        ("availability", po::value<double>(&availability), "share of working time for pipeline work (assumption; default 0.35)")
        ("check-replications", po::value<int>(&check_reps), "replications of the fit check, also written as simulation.replications (default 40; 0: no check)")
        ("seed,s", po::value<std::uint64_t>(&seed), "simulation.seed of the written scenario (default 1)")
        ("threads,j", po::value<int>(&threads), "threads for the fit check (default all cores)")
        ("quiet,q", po::bool_switch(&quiet), "print only problems and the fit check's verdict");
    po::options_description all;
    all.add(d).add_options()("export", po::value<std::vector<std::string>>(), "");
    po::positional_options_description pos;
    pos.add("export", -1);
    const auto vm = parse(cl, all, pos, "calibrate");
    if (vm.count("help")) {
        std::cout << "salesflow calibrate EXPORT.csv [--map MAPPING.yaml] -o SCENARIO.yaml [options]\n\n"
                     "Reads a CRM export (stage history, field history or a deals list), estimates arrivals,\n"
                     "conversions, time in stage (censored fits), deal values, headcount and win rates with\n"
                     "intervals, writes a scenario that runs as it is, then simulates it and prints observed\n"
                     "against simulated figures (see docs/calibrate.md).\n\n"
                  << d;
        return 0;
    }
    if (!vm.count("export")) throw UsageError("calibrate: no export file given (see salesflow calibrate --help)");
    const auto exports = vm["export"].as<std::vector<std::string>>();
    if (exports.size() != 1) throw UsageError("calibrate: exactly one export file, got " + std::to_string(exports.size()));
    export_path = exports.front();
    if (output.empty()) throw UsageError("calibrate: -o SCENARIO.yaml is required");
    if (same_file(output, export_path) || (!map_path.empty() && same_file(output, map_path)))
        throw UsageError("calibrate: -o '" + output + "' is an input file: it would be overwritten");
    output::check_output_target(output, inputs_of({export_path, map_path}));  // before the work
    {
        const fs::path dir = fs::path(output).has_parent_path() ? fs::path(output).parent_path() : fs::path(".");
        if (!fs::is_directory(dir)) throw UsageError("-o: the folder '" + dir.string() + "' does not exist");
    }
    if (!(effort_share > 0 && effort_share < 1)) throw UsageError("--effort-share: must be in (0, 1), got '" + std::to_string(effort_share) + "'");
    if (!(availability > 0 && availability <= 1)) throw UsageError("--availability: must be in (0, 1], got '" + std::to_string(availability) + "'");
    if (check_reps < 0 || check_reps > 10000) throw UsageError("--check-replications: must be 0 to 10000, got '" + std::to_string(check_reps) + "'");
    if (threads < 0) throw UsageError("--threads: must be >= 0, got '" + std::to_string(threads) + "'");
    if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

    try {
        const calibrate::Mapping mapping = map_path.empty() ? calibrate::default_mapping() : calibrate::load_mapping(map_path);
        const calibrate::ExportData data = calibrate::scan_export(export_path, mapping);
        const calibrate::Calibration cal = calibrate::estimate(data);
        calibrate::WriterOptions wo;
        wo.name = !name.empty() ? calibrate::sanitise_name(name)
                  : !mapping.scenario_name.empty() ? mapping.scenario_name
                  : calibrate::sanitise_name(fs::path(output).stem().string());
        wo.role = mapping.owner_role;
        wo.command_line = cl.invocation;
        wo.replications = std::max(1, check_reps);
        wo.seed = seed;
        wo.effort_share = effort_share;
        wo.availability = availability;
        const auto written = calibrate::write_scenario(cal, wo);
        // The scenario must load through the project's own loader before it is written.
        model::ScenarioConfig cfg;
        try {
            cfg = input::load_scenario_text(written.yaml, output);
        } catch (const input::InputError& e) {
            throw std::runtime_error(std::string("internal error: the calibrated scenario does not load:\n") + e.what());
        }
        write_atomically(output, [&](std::ostream& os) { os << written.yaml; }, inputs_of({export_path, map_path}));
        if (!quiet) {
            std::cout << export_path << ": " << data.rows << " rows, " << data.deals << " deals (" << data.reopened << " reopened, "
                      << data.rework << " moves back, most held open at once " << data.max_open << "), "
                      << calibrate::num(cal.window_h / 24.0, 4) << " days\n";
            for (const auto& n : cal.notes) std::cout << "note: " << n << "\n";
            std::cout << "wrote " << output << " (effort share " << calibrate::num(written.effort_share, 3) << ", offered load "
                      << calibrate::num(written.load, 3) << ")\n";
        }
        if (check_reps > 0) {
            const auto fit = calibrate::fit_check(cfg, cal, threads);
            calibrate::print_fit(std::cout, fit);
        }
        return 0;
    } catch (const input::InputError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
}

int crm_export_command(const CommandLine& cl) {
    std::string output, shape = "stage-history", export_at, start;
    std::vector<std::string> sets;
    int replication = 0;
    bool clean = false;
    po::options_description d("options");
    d.add_options()
        ("help,h", "show this help")
        ("output,o", po::value<std::string>(&output), "CSV file to write (required)")
        ("shape", po::value<std::string>(&shape), "stage-history (HubSpot-like), field-history (Salesforce-like) or deals")
        ("export-at", po::value<std::string>(&export_at), "simulated time of the export (a duration); later rows are left out; default: the horizon")
        ("start", po::value<std::string>(&start), "calendar date of simulated time 0, a Monday (default 2023-01-02)")
        ("replication", po::value<int>(&replication), "which replication to export (default 0)")
        ("set", po::value<std::vector<std::string>>(&sets)->composing(), "override PATH=VALUE (repeatable)")
        ("clean", po::bool_switch(&clean), "no messiness: UTC times, plain amounts, no reopened deals");
    po::options_description all;
    all.add(d).add_options()("scenario", po::value<std::vector<std::string>>(), "");
    po::positional_options_description pos;
    pos.add("scenario", -1);
    const auto vm = parse(cl, all, pos, "crm-export");
    if (vm.count("help")) {
        std::cout << "salesflow crm-export SCENARIO.yaml -o EXPORT.csv [options]\n\n"
                     "Simulates one replication and writes its lead log as a clearly synthetic CRM export\n"
                     "(stage entries spread over each lead's life by the rule in docs/calibrate.md).\n\n"
                  << d;
        return 0;
    }
    if (!vm.count("scenario") || vm["scenario"].as<std::vector<std::string>>().size() != 1)
        throw UsageError("crm-export: exactly one scenario file (see salesflow crm-export --help)");
    const std::string scenario = vm["scenario"].as<std::vector<std::string>>().front();
    if (output.empty()) throw UsageError("crm-export: -o EXPORT.csv is required");
    if (same_file(output, scenario)) throw UsageError("crm-export: -o '" + output + "' is the scenario file");
    calibrate::CrmExportOptions opt;
    if (shape == "stage-history") opt.shape = calibrate::ExportShape::stage_history;
    else if (shape == "field-history") opt.shape = calibrate::ExportShape::field_history;
    else if (shape == "deals") opt.shape = calibrate::ExportShape::deals;
    else throw UsageError("--shape: must be stage-history, field-history or deals, got '" + shape + "'");
    opt.messy = !clean;
    opt.replication = replication;
    if (replication < 0) throw UsageError("--replication: must be >= 0, got '" + std::to_string(replication) + "'");
    opt.start_h = calibrate::default_export_start_h();
    if (!start.empty()) {
        const auto t = calibrate::parse_timestamp(start);
        if (!t) throw UsageError("--start: must be a date such as 2023-01-02, got '" + start + "'");
        opt.start_h = *t;
    }
    try {
        if (!export_at.empty()) {
            try {
                opt.export_at_h = input::parse_duration(export_at);
            } catch (const input::QuantityError& e) {
                throw UsageError(std::string("--export-at: ") + e.what() + ", got '" + export_at + "'");
            }
        }
        const auto cfg = input::load_scenario(scenario, sets);
        calibrate::CrmExportStats st;
        write_atomically(output, [&](std::ostream& os) { st = calibrate::write_crm_export(cfg, opt, os); },
                         inputs_of({scenario}));
        std::cout << "wrote " << output << ": " << st.rows << " rows, " << st.leads << " deals (" << st.open << " open at the export, "
                  << st.reopened << " shown reopened), synthetic: simulated from " << scenario << "\n";
        return 0;
    } catch (const input::InputError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
}

}  // namespace salesflow::app
