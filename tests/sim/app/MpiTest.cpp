// run and compare under MPI write everything they write on threads: the replications
// and summary tables, the time series, the lead log, --precision and the comparison,
// bit for bit, with 1 and 2 ranks.
#include <doctest/doctest.h>

#include "AppTestSupport.hpp"

using namespace salesflow::test;
namespace fs = std::filesystem;

namespace {

// Every dataset (its values, text included) and every attribute but the creation time, command line
// and explain's wall-clock seconds, one line each, sorted: equal texts mean equal files for our purpose.
std::string dump(const fs::path& file) { return h5_dump(file, "/", {"created_utc", "command_line", "seconds"}); }

}  // namespace

TEST_CASE("run and compare under MPI (1 and 2 ranks) write the same tables, series, lead log and precision as threads") {
    if (run_shell("command -v mpirun > /dev/null 2>&1") != 0) {
        MESSAGE("mpirun not found: skipped");
        return;
    }
    const auto dir = scratch("mpi-run-compare");
    const std::string flow = source_path("scenarios/flow-optimised.yaml");
    const std::string resource = source_path("scenarios/resource-optimised.yaml");
    const std::string common = " --set simulation.horizon=12w --set simulation.sample_every=1w --leads -q";
    const std::vector<std::string> commands = {
        "run " + flow + " --replications 5" + common,
        "compare " + resource + " " + flow + " --replications 4" + common,
        "run " + flow + " --replications 3 --precision 5 --metric wins --max-replications 12" + common,
        "compare " + resource + " " + flow + " --replications 3 --precision 5 --metric wins --max-replications 10" + common,
    };
    for (std::size_t c = 0; c < commands.size(); ++c) {
        CAPTURE(commands[c]);
        const std::string t = "t" + std::to_string(c) + ".h5";
        REQUIRE(run_salesflow(commands[c] + " --threads 2 -o " + t, dir).status == 0);
        const auto threads = dump(dir / t);
        CHECK(threads.find("/leads (") != std::string::npos);   // the lead log
        CHECK(threads.find("/series (") != std::string::npos);  // the time series
        if (c >= 2) CHECK(threads.find("precision_achieved_percent") != std::string::npos);
        for (int ranks : {1, 2}) {
            CAPTURE(ranks);
            const std::string m = "m" + std::to_string(c) + "-" + std::to_string(ranks) + ".h5";
            // OpenMPI keeps allocations to the end: no leak report from its ranks under ASan.
            const int st = run_shell("cd '" + dir.string() +
                                     "' && ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -n " +
                                     std::to_string(ranks) + " " + SALESFLOW_EXE + " " + commands[c] +
                                     " --threads 1 -o " + m + " > mpi.log 2>&1");
            CHECK_MESSAGE(st == 0, read_file(dir / "mpi.log"));
            if (st == 0) CHECK(dump(dir / m) == threads);
        }
    }
}

TEST_CASE("explain under MPI (1 and 2 ranks) writes the same explanation as on threads") {
    if (run_shell("command -v mpirun > /dev/null 2>&1") != 0) {
        MESSAGE("mpirun not found: skipped");
        return;
    }
    const auto dir = scratch("mpi-explain");
    const std::string command = "explain " + source_path("scenarios/flow-optimised.yaml") +
                                " --replications 3 --set simulation.horizon=12w -q";
    REQUIRE(run_salesflow(command + " --threads 2 -o t.h5", dir).status == 0);
    const auto threads = dump(dir / "t.h5");
    CHECK(threads.find("explanations/flow-optimised/value_stream (") != std::string::npos);
    CHECK(threads.find("explanations/flow-optimised/levers (") != std::string::npos);
    for (int ranks : {1, 2}) {
        CAPTURE(ranks);
        const std::string m = "m-" + std::to_string(ranks) + ".h5";
        const int st = run_shell("cd '" + dir.string() + "' && ASAN_OPTIONS=detect_leaks=0 mpirun --allow-run-as-root --oversubscribe -n " +
                                 std::to_string(ranks) + " " + SALESFLOW_EXE + " " + command + " --threads 1 -o " + m +
                                 " > mpi.log 2>&1");
        CHECK_MESSAGE(st == 0, read_file(dir / "mpi.log"));
        if (st == 0) CHECK(dump(dir / m) == threads);
    }
}
