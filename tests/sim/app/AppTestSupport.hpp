#pragma once
// Runs the salesflow executable as a user would and captures what it says.
#include "../../SanitizedBuild.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace salesflow::test {

struct Outcome {
    int status = -1;
    std::string out;  // stdout and stderr together
};

inline Outcome run_salesflow(const std::string& args, const std::filesystem::path& cwd = {}) {
    std::string cmd;
    if (!cwd.empty()) cmd = "cd '" + cwd.string() + "' && ";
    cmd += std::string(SALESFLOW_EXE) + " " + args + " 2>&1";
    Outcome o;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return o;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
    const int st = pclose(p);
    o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return o;
}

inline int run_shell(const std::string& cmd) {
    const int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream f(p, std::ios::binary);
    f << text;
}

// A fresh, empty folder for one test.
inline std::filesystem::path scratch(const std::string& name) {
    auto d = std::filesystem::path(SALESFLOW_BINARY_DIR) / "test-scratch" / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

// Starts salesflow in the background; returns its pid.
inline pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& cwd, const std::string& env = "") {
    std::fflush(nullptr);  // the child must not flush our buffered output a second time
    const pid_t pid = fork();
    if (pid == 0) {
        if (chdir(cwd.c_str()) != 0) _exit(127);
        if (!env.empty()) putenv(const_cast<char*>(env.c_str()));
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(SALESFLOW_EXE));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(SALESFLOW_EXE, argv.data());
        _exit(127);
    }
    return pid;
}

inline int wait_status(pid_t pid, bool* signalled = nullptr) {
    int st = 0;
    waitpid(pid, &st, 0);
    if (signalled) *signalled = WIFSIGNALED(st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

inline std::string source_path(const std::string& rel) { return std::string(SALESFLOW_SOURCE_DIR) + "/" + rel; }

// The shipped organisations, by absolute path.
inline const std::string flow = source_path("scenarios/flow-optimised.yaml");
inline const std::string resource = source_path("scenarios/resource-optimised.yaml");

// Equal bit for bit (NaN == NaN).
inline bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Results files as text for comparing two files: for each file, every dataset of `group`
// (its shape and a hash of its values, text included) and every attribute whose name is
// not in `skip`, one line each, sorted. Equal texts mean equal files for our purpose;
// "dump failed" when Python cannot read them. One Python process for all the files (its
// start-up is most of the cost of a dump).
inline std::vector<std::string> h5_dumps(const std::vector<std::filesystem::path>& files, const std::string& group,
                                         const std::vector<std::string>& skip) {
    std::vector<std::string> dumps;
    if (files.empty()) return dumps;
    std::string skip_list;
    for (const auto& k : skip) skip_list += "'" + k + "', ";
    const std::string py =
        "import h5py, hashlib, sys\n"
        "skip = (" + skip_list + ")\n"
        "def dump(path, out):\n"
        "    lines = []\n"
        "    def visit(name, obj):\n"
        "        for k, v in obj.attrs.items():\n"
        "            if k not in skip: lines.append(f'{name} @{k} = {v!r}')\n"
        "        if isinstance(obj, h5py.Dataset):\n"
        "            lines.append(f'{name} {obj.shape} ' + hashlib.sha256(repr(obj[()].tolist()).encode()).hexdigest())\n"
        "    with h5py.File(path, 'r') as f:\n"
        "        g = f['" + group + "']\n"
        "        visit(g.name, g)\n"
        "        g.visititems(visit)\n"
        "    open(out, 'w').write('\\n'.join(sorted(lines)))\n"
        "for path, out in zip(sys.argv[1::2], sys.argv[2::2]):\n"
        "    try:\n"
        "        dump(path, out)\n"
        "    except Exception:\n"
        "        pass\n";
    const auto script = files.front().string() + ".py";
    write_file(script, py);
    std::string cmd = std::string(SALESFLOW_PYTHON) + " '" + script + "'";
    for (const auto& file : files) {
        std::filesystem::remove(file.string() + ".dump");
        cmd += " '" + file.string() + "' '" + file.string() + ".dump'";
    }
    const int status = run_shell(cmd);
    for (const auto& file : files) {
        const auto out = std::filesystem::path(file.string() + ".dump");
        // A failure differs between files, so two failures never compare equal.
        dumps.push_back(status == 0 && std::filesystem::exists(out) ? read_file(out) : "dump failed: " + file.string());
    }
    return dumps;
}

inline std::string h5_dump(const std::filesystem::path& file, const std::string& group,
                           const std::vector<std::string>& skip) {
    return h5_dumps({file}, group, skip).front();
}

// --- Sweeps (defined in AppTestSupport.cpp; test_app only) ---

// Tables of a sweep (/sweeps/<name>/<table>), every column raw: numbers as doubles
// compared bit for bit (NaN equals NaN, -0 differs from 0), text columns as strings.
// Keys are "table:column".
struct SweepTables {
    std::map<std::string, std::vector<double>> num;
    std::map<std::string, std::vector<std::string>> text;
    bool operator==(const SweepTables& other) const;
};
SweepTables read_sweep_tables(const std::filesystem::path& file, const std::string& name,
                              const std::vector<std::string>& tables);

// One interrupted run of an InterruptedSweep, as the checks between the interruption and
// the resume and after the resume see it.
struct Interruption {
    int signal = 0;
    std::string out;                  // the output's file name in the folder ("term.h5", "hup.h5", "kill.h5")
    std::filesystem::path journal;    // its journal (.OUT.journal)
    long long journalled = 0;         // whole records in the journal when the run was stopped
    int status = -1;                  // exit status; -1 when ended by a signal
    bool signalled = false;
    std::uintmax_t header = 40;       // journal header bytes
    std::uintmax_t record = 0;        // journal record bytes: 16 + 8 x the sweep's metrics
};

// "Run fully, run again interrupted once the journal holds more than `stop_after`
// records, resume, and the tables equal the full run's", once per signal.
struct InterruptedSweep {
    std::filesystem::path dir;                  // holds the sweep file; the outputs go here
    std::string name;                           // the sweep's name (/sweeps/<name>)
    std::vector<std::string> args;              // the sweep command, without -o
    std::vector<std::string> tables;            // the tables that must equal the full run's
    long long stop_after = 20;                  // journal records before the interruption
    // When set, gives stop_after from the full run's file instead (e.g. the items before a
    // point of a --precision sweep).
    std::function<long long(const std::filesystem::path& full)> stop_after_from_full;
    std::vector<int> signals;                   // e.g. SIGTERM, SIGHUP, SIGKILL
    // Checks of the interrupted state before the resume (e.g. what a SIGTERM committed,
    // a resume that must be refused, a journal cut).
    std::function<void(const Interruption&)> after_interrupt;
    // Checks after the resume; gets the resume's output (it runs without -q, so that it
    // says how many items it resumed after).
    std::function<void(const Interruption&, const Outcome&)> after_resume;
};

// Runs `s.args -o full.h5` to completion, then per signal: `s.args -o OUT` with
// checkpoints only every 1000 s (SALESFLOW_CHECKPOINT_SECONDS: what survives a kill is
// the journal alone), stopped (SIGSTOP) as soon as its journal holds more than
// s.stop_after records, sent the signal and continued. Checks: the journal holds whole
// records (16 + 8 M bytes each after the 40-byte header, M = the metric_names of the
// replications table, docs/results-format.md), more than s.stop_after and fewer than the
// sweep's items; a stopped run (SIGTERM, SIGHUP, SIGINT) exits 1, a killed one leaves its
// journal and no output. After s.after_interrupt, the same command without -q, with
// --resume, must exit 0 with s.tables equal to the full run's, `complete` 1, and no
// temporary file, journal or lock left beside the output. Returns the full run's tables.
SweepTables check_interrupted_sweeps_resume(const InterruptedSweep& s);

// Runs the sweep command `args` (a string, without --threads and -o) once per thread
// count in `threads` and once per MPI size in `ranks` (mpirun, 1 thread per rank; skipped
// with a message when there is no mpirun), and checks that each file's `tables` equal
// the first run's, bit for bit, and that its `mpi_size` attribute is the number of
// ranks. Returns the first run's tables and leaves its file as `first` in `dir`.
SweepTables check_same_sweep_tables(const std::filesystem::path& dir, const std::string& name, const std::string& args,
                                    const std::vector<std::string>& tables, const std::vector<int>& threads,
                                    const std::vector<int>& ranks, const std::string& first = "first.h5");

bool have_mpirun();
// Runs `salesflow ARGS` under mpirun with `ranks` ranks in `dir`; its output in dir/mpi.log.
int run_mpi(const std::filesystem::path& dir, int ranks, const std::string& args);

}  // namespace salesflow::test
