// salesflow compare: --set NAME:PATH=VALUE changes one file; metrics of roles that only
// some files have stay in /comparisons; the probability of being best with its Wilson
// interval; changes marked only by the metric's direction; bad input writes nothing.
#include <doctest/doctest.h>

#include <cmath>

#include "AppTestSupport.hpp"
#include "app/BestProbability.hpp"
#include "output/ResultsFile.hpp"

using namespace salesflow;
using namespace salesflow::test;
using output::ResultsFile;
namespace fs = std::filesystem;

namespace {

// Two organisations of one market: a generalist (`alpha`, file alpha.yaml) and a split
// (`beta`, file org-b.yaml) whose roles the other does not have.
// The market both share: the same horizon, seed and leads.
const std::string market = R"(simulation:
  horizon: 8w
  replications: 8
  seed: 3
  calendar: 24/7
sources:
  - name: inbound
    arrivals: 20/w
    quality: 0.5
    value: 10000
)";

const std::string alpha = "name: alpha\n" + market + R"(stages:
  - name: qualify
    role: rep
    effort: {exponential: {mean: 1h}}
  - name: close
    role: rep
    effort: {exponential: {mean: 4h}}
    advance: quality
roles:
  - name: rep
    headcount: 2
    cost_per_year: 100000
)";

const std::string beta = "name: beta\n" + market + R"(stages:
  - name: qualify
    role: sdr
    effort: {exponential: {mean: 1h}}
  - name: close
    role: ae
    effort: {exponential: {mean: 4h}}
    advance: quality
roles:
  - name: sdr
    headcount: 1
    cost_per_year: 50000
  - name: ae
    headcount: 2
    cost_per_year: 100000
)";

struct Files {
    fs::path dir, a, b, out;
};
Files setup(const std::string& name) {
    Files f;
    f.dir = scratch(name);
    f.a = f.dir / "alpha.yaml";
    f.b = f.dir / "org-b.yaml";
    f.out = f.dir / "cmp.h5";
    write_file(f.a, alpha);
    write_file(f.b, beta);
    return f;
}
std::string compare(const Files& f, const std::string& extra) {
    return "compare " + f.a.string() + " " + f.b.string() + " --threads 2 -o " + f.out.string() + " " + extra;
}

// The comparison table's value of `column` for (metric, scenario); NaN when there is no row.
struct Table {
    std::vector<std::string> metric, scenario;
    std::vector<double> values;
    double at(const std::string& m, const std::string& s) const {
        for (std::size_t i = 0; i < metric.size(); ++i)
            if (metric[i] == m && scenario[i] == s) return values[i];
        return NAN;
    }
    bool has(const std::string& m, const std::string& s) const {
        for (std::size_t i = 0; i < metric.size(); ++i)
            if (metric[i] == m && scenario[i] == s) return true;
        return false;
    }
};
Table column(const fs::path& file, const std::string& column) {
    const auto f = ResultsFile::open_read(file);
    const std::string t = "/comparisons/alpha-vs-beta";
    return Table{f.read_table_column_string(t, "metric"), f.read_table_column_string(t, "scenario"),
                 f.read_table_column_double(t, column)};
}

const double years = 8.0 * 168.0 / 8760.0;

}  // namespace

TEST_CASE("compare --set NAME:PATH=VALUE changes the file with that scenario name or file stem only") {
    const auto f = setup("compare-scoped-set");
    for (const std::string name : {"beta", "org-b"}) {
        CAPTURE(name);
        fs::remove(f.out);
        const auto r = run_salesflow(compare(f, "-q --set " + name + ":roles.ae.headcount=3 --set stages.close.effort=2h"));
        REQUIRE_MESSAGE(r.status == 0, r.out);
        const auto cost = column(f.out, "mean");
        CHECK(cost.at("cost", "beta") == doctest::Approx((50000.0 + 3 * 100000.0) * years));   // beta: 3 AEs
        CHECK(cost.at("cost", "alpha") == doctest::Approx(2 * 100000.0 * years));              // alpha untouched
        // The plain --set reached both files.
        const auto file = ResultsFile::open_read(f.out);
        for (const char* run : {"/runs/alpha", "/runs/beta"})
            CHECK(file.string_attribute(run, "scenario_yaml").find("effort: 2h") != std::string::npos);
    }
}

TEST_CASE("compare: bad --set scopes and paths exit 2 with a clear message and write nothing") {
    const auto f = setup("compare-bad-set");
    // A role only beta has, without NAME:
    auto r = run_salesflow(compare(f, "--set roles.ae.headcount=3"));
    CHECK(r.status == 2);
    CHECK(r.out.find("--set:1:7: roles.ae.headcount: there is no item named 'ae' in 'roles'") != std::string::npos);
    CHECK(r.out.find("; only beta of the compared files can take it: write --set NAME:roles.ae.headcount=3 to change "
                     "one file") != std::string::npos);
    CHECK(!fs::exists(f.out));
    // ... and with the wrong NAME:
    r = run_salesflow(compare(f, "--set alpha:roles.ae.headcount=3"));
    CHECK(r.status == 2);
    CHECK(r.out.find("there is no item named 'ae' in 'roles'") != std::string::npos);
    CHECK(!fs::exists(f.out));
    // An unknown NAME:
    r = run_salesflow(compare(f, "--set gamma:roles.ae.headcount=3"));
    CHECK(r.status == 2);
    CHECK(r.out.find("salesflow: --set gamma:roles.ae.headcount=3: no compared file has the scenario name or file stem "
                     "'gamma' (scenario names: alpha, beta; file stems: alpha, org-b)") != std::string::npos);
    CHECK(!fs::exists(f.out));
    // An empty NAME:
    r = run_salesflow(compare(f, "--set :roles.ae.headcount=3"));
    CHECK(r.status == 2);
    CHECK(r.out.find("salesflow: --set :roles.ae.headcount=3: the NAME before ':' is empty (NAME:PATH=VALUE)") !=
          std::string::npos);
    CHECK(!fs::exists(f.out));
    // A path no file has: the usual error.
    r = run_salesflow(compare(f, "--set roles.nobody.headcount=3"));
    CHECK(r.status == 2);
    CHECK(r.out.find("there is no item named 'nobody'") != std::string::npos);
    CHECK(!fs::exists(f.out));
    // An objective without a direction, an unknown one.
    r = run_salesflow(compare(f, "--objective cost"));
    CHECK(r.status == 2);
    CHECK(r.out.find("salesflow: alpha: --objective: metric 'cost' has no direction") != std::string::npos);
    CHECK(!fs::exists(f.out));
    r = run_salesflow(compare(f, "--objective wonders"));
    CHECK(r.status == 2);
    CHECK(r.out.find("--objective: unknown metric, got 'wonders'") != std::string::npos);
    CHECK(!fs::exists(f.out));
    // Two files with the same scenario name: reported where the later file's name is
    // written (it said "compare: two scenarios are named ..." without a place).
    r = run_salesflow(compare(f, "--set org-b:name=alpha"));
    CHECK(r.status == 2);
    CHECK(r.out.find(f.b.string() + ":1:1: name: two compared scenarios are named 'alpha' (" + f.a.string() + " and " +
                     f.b.string() + "); names must differ: give one another name (--set STEM:name=OTHER changes the "
                     "file with that file stem), got 'alpha'") != std::string::npos);
    CHECK(!fs::exists(f.out));
    r = run_salesflow("compare " + f.a.string() + " " + f.a.string() + " -o " + f.out.string());
    CHECK(r.status == 2);
    CHECK(r.out.find(f.a.string() + ":1:7: name: two compared scenarios are named 'alpha'") != std::string::npos);
    CHECK(!fs::exists(f.out));
    // NAME: is for compare.
    r = run_salesflow("run " + f.b.string() + " --set beta:roles.ae.headcount=3 -o " + f.out.string());
    CHECK(r.status == 2);
    CHECK(r.out.find("--set NAME:PATH=VALUE (one compared file) is for compare") != std::string::npos);
    CHECK(!fs::exists(f.out));
}

TEST_CASE("/comparisons keeps the metrics of roles only some files have, without a paired difference") {
    const auto f = setup("compare-partial-roles");
    REQUIRE(run_salesflow(compare(f, "-q")).status == 0);
    const auto mean = column(f.out, "mean"), diff = column(f.out, "diff");
    // rep is alpha's (the baseline) only: a row for alpha, none for beta.
    CHECK(mean.has("role.rep.utilisation", "alpha"));
    CHECK(!mean.has("role.rep.utilisation", "beta"));
    CHECK(mean.at("role.rep.utilisation", "alpha") > 0.0);
    // ae is beta's only: its row has the mean and no paired difference.
    CHECK(!mean.has("role.ae.utilisation", "alpha"));
    CHECK(mean.at("role.ae.utilisation", "beta") > 0.0);
    CHECK(std::isnan(diff.at("role.ae.utilisation", "beta")));
    CHECK(std::isnan(column(f.out, "best_share").at("role.ae.queue_mean", "beta")));
    // Metrics both have are paired as before.
    CHECK(std::isfinite(diff.at("wins", "beta")));
}

TEST_CASE("probability of being best: shares add up to 1; a dominated organisation gets 0 with Wilson's interval") {
    const auto f = setup("compare-best");
    auto r = run_salesflow(compare(f, "--set beta:roles.ae.cost_per_year=1e9"));
    REQUIRE_MESSAGE(r.status == 0, r.out);
    const auto best = column(f.out, "best_share"), lo = column(f.out, "best_ci_low"), hi = column(f.out, "best_ci_high");
    CHECK(best.at("profit", "alpha") == 1.0);
    CHECK(best.at("profit", "beta") == 0.0);
    const double z2 = 1.959963984540054 * 1.959963984540054;
    CHECK(hi.at("profit", "beta") == doctest::Approx(z2 / (8.0 + z2)).epsilon(1e-12));   // 0 of 8
    CHECK(lo.at("profit", "alpha") == doctest::Approx(8.0 / (8.0 + z2)).epsilon(1e-12));  // 8 of 8
    for (const char* m : {"wins", "lead_time_mean_h", "revenue_per_quota_person"})
        CHECK(best.at(m, "alpha") + best.at(m, "beta") == doctest::Approx(1.0));
    CHECK(std::isnan(best.at("cost", "alpha")));   // no direction: no best
    CHECK(ResultsFile::open_read(f.out).string_attribute("/comparisons/alpha-vs-beta", "objective") == "profit");
    // The console: the probability, profit marked worse, cost (no direction) never marked,
    // the won deals' lead time beside the mean.
    CHECK(r.out.find("probability of being best on profit (higher is better): share of 8 paired replications") !=
          std::string::npos);
    CHECK(r.out.find("0.00 [0.00, 0.32]", r.out.find("probability of being best")) != std::string::npos);
    const auto line = [&](const std::string& after) {
        const auto at = r.out.find(after);
        REQUIRE(at != std::string::npos);
        const auto b = r.out.find("    beta", at);
        return r.out.substr(b, r.out.find('\n', b) - b);
    };
    CHECK(line("  profit\n").find("worse") != std::string::npos);
    CHECK(line("  cost\n").find("worse") == std::string::npos);
    CHECK(line("  cost\n").find("better") == std::string::npos);
    CHECK(line("  lead_time_mean_h").find("| won ") != std::string::npos);
    // Headline metrics lead the summary.
    CHECK(r.out.find("  profit\n") < r.out.find("  revenue_per_cost\n"));
    CHECK(r.out.find("  revenue_per_cost\n") < r.out.find("  revenue_per_quota_person\n"));
    CHECK(r.out.find("  revenue_per_quota_person\n") < r.out.find("  leads_arrived\n"));
    // --objective wins: the probability printed is the wins'.
    fs::remove(f.out);
    r = run_salesflow(compare(f, "--objective wins"));
    REQUIRE(r.status == 0);
    CHECK(r.out.find("probability of being best on wins (higher is better)") != std::string::npos);
}

TEST_CASE("Wilson's interval and split ties") {
    const auto half = app::wilson_interval(5.0, 10.0);
    CHECK(half.share == 0.5);
    CHECK(half.ci_low == doctest::Approx(0.2365931).epsilon(1e-6));
    CHECK(half.ci_high == doctest::Approx(0.7634069).epsilon(1e-6));
    // Three organisations, four replications: a tie of two in the last one.
    const auto b = app::best_probability({{3, 1, 5, 2}, {2, 4, 1, 2}, {1, 1, 1, 0}}, model::Direction::higher);
    CHECK(b[0].share == doctest::Approx(2.5 / 4));
    CHECK(b[1].share == doctest::Approx(1.5 / 4));
    CHECK(b[2].share == 0.0);
    const auto low = app::best_probability({{3, 1}, {2, 4}}, model::Direction::lower);
    CHECK(low[0].share == 0.5);
    CHECK(low[1].share == 0.5);
}

TEST_CASE("compare without -o: a default name longer than a file name can be is shortened with a hash") {
    // results/A-vs-B-vs-C.h5 of three 100-character names was refused as "longer than 255
    // bytes" although the user named no file.
    const auto dir = scratch("compare-long-default");
    fs::remove_all(dir / "results");
    std::vector<std::string> files;
    for (const char c : {'a', 'b', 'c'}) {
        const std::string name(100, c);
        write_file(dir / (std::string(1, c) + ".yaml"),
                   std::string(alpha).replace(std::string(alpha).find("name: alpha"), 11, "name: " + name));
        files.push_back(std::string(1, c) + ".yaml");
    }
    const auto r = run_salesflow("compare a.yaml b.yaml c.yaml -q --replications 2", dir);
    REQUIRE_MESSAGE(r.status == 0, r.out);
    std::vector<std::string> made;
    for (const auto& e : fs::directory_iterator(dir / "results")) made.push_back(e.path().filename().string());
    REQUIRE(made.size() == 1);
    CHECK(made[0].size() == 255);
    CHECK(made[0].rfind(std::string(100, 'a') + "-vs-" + std::string(100, 'b') + "-vs-", 0) == 0);
    CHECK(made[0].substr(made[0].size() - 3) == ".h5");
    CHECK(made[0].find('~') == 235);
}
