#include "AppTestSupport.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "output/ResultsFile.hpp"

namespace salesflow::test {

namespace fs = std::filesystem;
using output::ResultsFile;

namespace {


std::string command_line(const std::vector<std::string>& args) {
    std::string line;
    for (const auto& a : args) line += (line.empty() ? "'" : " '") + a + "'";
    return line;
}

std::string file_for(int sig) {
    switch (sig) {
        case SIGTERM: return "term.h5";
        case SIGHUP: return "hup.h5";
        case SIGINT: return "int.h5";
        case SIGKILL: return "kill.h5";
        default: return "sig" + std::to_string(sig) + ".h5";
    }
}

}  // namespace

bool SweepTables::operator==(const SweepTables& other) const {
    if (text != other.text || num.size() != other.num.size()) return false;
    for (const auto& [key, values] : num) {
        const auto it = other.num.find(key);
        if (it == other.num.end() || it->second.size() != values.size()) return false;
        for (std::size_t i = 0; i < values.size(); ++i)
            if (!same_bits(values[i], it->second[i])) return false;
    }
    return true;
}

SweepTables read_sweep_tables(const fs::path& file, const std::string& name, const std::vector<std::string>& tables) {
    SweepTables t;
    const auto f = ResultsFile::open_read(file);
    for (const auto& table : tables) {
        const std::string path = "/sweeps/" + name + "/" + table;
        const auto tab = f.open_table(path);
        for (std::size_t c = 0; c < tab.schema().size(); ++c) {
            const auto& col = tab.schema()[c];
            const std::string key = table + ":" + col.name;
            if (col.type == output::ColumnType::text) t.text[key] = f.read_table_column_string(path, col.name);
            else if (col.type == output::ColumnType::int64) {
                for (auto v : f.read_table_column_int64(path, col.name)) t.num[key].push_back(static_cast<double>(v));
            } else t.num[key] = f.read_table_column_double(path, col.name);
        }
    }
    return t;
}

SweepTables check_interrupted_sweeps_resume(const InterruptedSweep& s) {
    auto with = [&](std::vector<std::string> extra, bool quiet = true) {
        std::vector<std::string> a;
        for (const auto& x : s.args)
            if (quiet || (x != "-q" && x != "--quiet")) a.push_back(x);
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    REQUIRE(wait_status(spawn(with({"-o", "full.h5"}), s.dir)) == 0);
    const auto full = read_sweep_tables(s.dir / "full.h5", s.name, s.tables);
    const auto total = static_cast<long long>(full.num.at("replications:point").size());
    const std::string group = "/sweeps/" + s.name;
    // A journal record: the item, its M metrics, a checksum (docs/results-format.md).
    const auto metrics = ResultsFile::open_read(s.dir / "full.h5").string_array_attribute(group + "/replications", "metric_names").size();
    REQUIRE(metrics > 0);
    const std::uintmax_t record = 16 + 8 * metrics, header = 40;
    const long long stop_after = s.stop_after_from_full ? s.stop_after_from_full(s.dir / "full.h5") : s.stop_after;
    REQUIRE(stop_after < total);

    for (const int sig : s.signals) {
        CAPTURE(sig);
        Interruption i;
        i.signal = sig;
        i.out = file_for(sig);
        i.journal = s.dir / ("." + i.out + ".journal");
        i.header = header;
        i.record = record;
        const pid_t pid = spawn(with({"-o", i.out}), s.dir, "SALESFLOW_CHECKPOINT_SECONDS=1000");
        const std::uintmax_t want = header + static_cast<std::uintmax_t>(stop_after) * record;
        auto journal_size = [&] {
            std::error_code ec;
            const auto n = fs::file_size(i.journal, ec);
            return ec ? std::uintmax_t{0} : n;
        };
        for (int k = 0; k < 4000 && journal_size() <= want; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        kill(pid, SIGSTOP);
        std::error_code ec;
        const std::uintmax_t size = fs::file_size(i.journal, ec);
        if (!ec && size >= header) {
            CHECK((size - header) % record == 0);  // whole records only
            i.journalled = static_cast<long long>((size - header) / record);
        }
        kill(pid, sig);
        kill(pid, SIGCONT);
        i.status = wait_status(pid, &i.signalled);
        CHECK(i.journalled > stop_after);
        CHECK(i.journalled < total);  // interrupted part-way
        if (sig == SIGKILL) {
            CHECK(i.signalled);
            CHECK_FALSE(fs::exists(s.dir / i.out));  // nothing was committed: no half-written output
            CHECK(fs::exists(i.journal));
        } else {
            CHECK(i.status == 1);  // stopped cleanly: incomplete, resumable
        }
        if (s.after_interrupt) s.after_interrupt(i);

        const auto r = run_salesflow(command_line(with({"--resume", "-o", i.out}, false)), s.dir);
        REQUIRE_MESSAGE(r.status == 0, r.out);
        CHECK(read_sweep_tables(s.dir / i.out, s.name, s.tables) == full);
        CHECK(ResultsFile::open_read(s.dir / i.out).int_attribute(group, "complete") == 1);
        // No temporary file, journal or lock left beside the output after the resume (a
        // killed run's temporary file is removed by the resume).
        for (const auto& e : fs::directory_iterator(s.dir)) {
            const auto name = e.path().filename().string();
            CHECK_MESSAGE(name.rfind("." + i.out, 0) == std::string::npos, name);
        }
        if (s.after_resume) s.after_resume(i, r);
    }
    return full;
}

bool have_mpirun() { return run_shell("command -v mpirun > /dev/null 2>&1") == 0; }

int run_mpi(const fs::path& dir, int ranks, const std::string& args) {
    // OpenMPI keeps allocations to the end: no leak report from its ranks under ASan.
    return run_shell("cd '" + dir.string() + "' && ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -n " +
                     std::to_string(ranks) + " " + SALESFLOW_EXE + " " + args + " > mpi.log 2>&1");
}

SweepTables check_same_sweep_tables(const fs::path& dir, const std::string& name, const std::string& args,
                                    const std::vector<std::string>& tables, const std::vector<int>& threads,
                                    const std::vector<int>& ranks, const std::string& first) {
    REQUIRE(!threads.empty());
    SweepTables one;
    for (std::size_t k = 0; k < threads.size(); ++k) {
        CAPTURE(threads[k]);
        const std::string out = k == 0 ? first : "threads-" + std::to_string(threads[k]) + ".h5";
        const auto r = run_salesflow(args + " --threads " + std::to_string(threads[k]) + " -o " + out, dir);
        REQUIRE_MESSAGE(r.status == 0, r.out);
        if (k == 0) one = read_sweep_tables(dir / out, name, tables);
        else CHECK(read_sweep_tables(dir / out, name, tables) == one);
        CHECK(ResultsFile::open_read(dir / out).int_attribute("/sweeps/" + name, "mpi_size") == 1);
    }
    if (ranks.empty()) return one;
    if (!have_mpirun()) {
        MESSAGE("mpirun not found: MPI part skipped");
        return one;
    }
    for (const int n : ranks) {
        CAPTURE(n);
        const std::string out = "mpi-" + std::to_string(n) + ".h5";
        const int st = run_mpi(dir, n, args + " --threads 1 -o " + out);
        CHECK_MESSAGE(st == 0, read_file(dir / "mpi.log"));
        if (st != 0) continue;
        CHECK(read_sweep_tables(dir / out, name, tables) == one);
        CHECK(ResultsFile::open_read(dir / out).int_attribute("/sweeps/" + name, "mpi_size") == n);
    }
    return one;
}

}  // namespace salesflow::test
