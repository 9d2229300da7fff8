// Commands take plain Settings: callable without a command line (as a test or another
// command would), with the same results; compare gives every scenario the first's seed
// and replications through the overrides, not a copy of the command line.
#include <doctest/doctest.h>

#include "AppTestSupport.hpp"
#include "app/Commands.hpp"
#include "output/ResultsFile.hpp"

using namespace salesflow;
using namespace salesflow::test;
namespace fs = std::filesystem;

TEST_CASE("run and compare from plain Settings") {
    const auto dir = scratch("settings");
    write_file(dir / "a.yaml", "name: a\nsimulation: {horizon: 2w, warmup: 0, replications: 3, seed: 11, calendar: 24/7}\n"
                               "sources:\n  - {name: web, arrivals: 10/w}\nstages:\n  - {name: work, role: rep, effort: 1h}\n"
                               "roles:\n  - {name: rep, headcount: 1}\n");
    write_file(dir / "b.yaml", "extends: a.yaml\nname: b\nsimulation: {seed: 99, replications: 7}\n"
                               "roles:\n  - {name: rep, headcount: 2}\n");
    app::Settings s;
    s.files = {(dir / "a.yaml").string()};
    s.output = (dir / "run.h5").string();
    s.quiet = true;
    s.overrides.seed = 5;
    s.overrides.sets = {"simulation.replications=4"};
    CHECK(app::run_command(s) == 0);
    {
        const auto f = output::ResultsFile::open_read(dir / "run.h5");
        CHECK(f.uint_attribute("/runs/a", "seed") == 5);
        CHECK(f.int_attribute("/runs/a", "replications") == 4);
    }
    // The same run through the executable: the same replications table.
    REQUIRE(run_salesflow("run a.yaml --seed 5 --set simulation.replications=4 -q -o cli.h5", dir).status == 0);
    CHECK(output::ResultsFile::open_read(dir / "cli.h5").read_table_column_double("/runs/a/replications", "wins") ==
          output::ResultsFile::open_read(dir / "run.h5").read_table_column_double("/runs/a/replications", "wins"));

    app::Settings c;
    c.files = {(dir / "a.yaml").string(), (dir / "b.yaml").string()};
    c.output = (dir / "cmp.h5").string();
    c.quiet = true;
    CHECK(app::compare_command(c) == 0);
    const auto f = output::ResultsFile::open_read(dir / "cmp.h5");
    // Common random numbers: b runs with a's seed and replications, not its own.
    CHECK(f.uint_attribute("/runs/b", "seed") == 11);
    CHECK(f.int_attribute("/runs/b", "replications") == 3);
    CHECK(c.overrides.seed == std::nullopt);  // the caller's settings are left as they were
}
