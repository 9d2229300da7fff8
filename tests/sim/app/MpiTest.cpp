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
// One Python process dumps all the files.
std::vector<std::string> file_dumps(const std::vector<fs::path>& files) {
    return h5_dumps(files, "/", {"created_utc", "command_line", "seconds"});
}

}  // namespace

TEST_CASE("run and compare under MPI (1 and 2 ranks) write the same tables, series, lead log and precision as threads") {
    if (!have_mpirun()) {
        MESSAGE("mpirun not found: skipped");
        return;
    }
    const auto dir = scratch("mpi-run-compare");
    const std::string common = " --set simulation.horizon=12w --set simulation.sample_every=1w --leads -q";
    const std::vector<std::string> commands = {
        "run " + flow + " --replications 5" + common,
        "compare " + resource + " " + flow + " --replications 4" + common,
        "run " + flow + " --replications 3 --precision 5 --metric wins --max-replications 12" + common,
        "compare " + resource + " " + flow + " --replications 3 --precision 5 --metric wins --max-replications 10" + common,
    };
    // Each command on 2 threads, then under mpirun with 1 and 2 ranks; the files are compared at the end.
    std::vector<fs::path> files;
    std::vector<bool> mpi_ok;
    for (std::size_t c = 0; c < commands.size(); ++c) {
        CAPTURE(commands[c]);
        const std::string t = "t" + std::to_string(c) + ".h5";
        REQUIRE(run_salesflow(commands[c] + " --threads 2 -o " + t, dir).status == 0);
        files.push_back(dir / t);
        for (int ranks : {1, 2}) {
            CAPTURE(ranks);
            const std::string m = "m" + std::to_string(c) + "-" + std::to_string(ranks) + ".h5";
            const int st = run_mpi(dir, ranks, commands[c] + " --threads 1 -o " + m);
            CHECK_MESSAGE(st == 0, read_file(dir / "mpi.log"));
            files.push_back(dir / m);
            mpi_ok.push_back(st == 0);
        }
    }
    const auto text = file_dumps(files);
    for (std::size_t c = 0; c < commands.size(); ++c) {
        CAPTURE(commands[c]);
        const auto& threads = text[3 * c];
        CHECK(threads.find("/leads (") != std::string::npos);   // the lead log
        CHECK(threads.find("/series (") != std::string::npos);  // the time series
        if (c >= 2) CHECK(threads.find("precision_achieved_percent") != std::string::npos);
        for (std::size_t k = 0; k < 2; ++k) {
            CAPTURE(k + 1);  // ranks
            if (mpi_ok[2 * c + k]) CHECK(text[3 * c + 1 + k] == threads);
        }
    }
}

TEST_CASE("explain under MPI (1 and 2 ranks) writes the same explanation as on threads") {
    if (!have_mpirun()) {
        MESSAGE("mpirun not found: skipped");
        return;
    }
    const auto dir = scratch("mpi-explain");
    const std::string command = "explain " + source_path("scenarios/flow-optimised.yaml") +
                                " --replications 3 --set simulation.horizon=12w -q";
    REQUIRE(run_salesflow(command + " --threads 2 -o t.h5", dir).status == 0);
    std::vector<fs::path> files = {dir / "t.h5"};
    std::vector<bool> mpi_ok;
    for (int ranks : {1, 2}) {
        CAPTURE(ranks);
        const std::string m = "m-" + std::to_string(ranks) + ".h5";
        const int st = run_mpi(dir, ranks, command + " --threads 1 -o " + m);
        CHECK_MESSAGE(st == 0, read_file(dir / "mpi.log"));
        files.push_back(dir / m);
        mpi_ok.push_back(st == 0);
    }
    const auto text = file_dumps(files);
    const auto& threads = text[0];
    CHECK(threads.find("explanations/flow-optimised/value_stream (") != std::string::npos);
    CHECK(threads.find("explanations/flow-optimised/levers (") != std::string::npos);
    for (std::size_t k = 0; k < 2; ++k) {
        CAPTURE(k + 1);  // ranks
        if (mpi_ok[k]) CHECK(text[1 + k] == threads);
    }
}
