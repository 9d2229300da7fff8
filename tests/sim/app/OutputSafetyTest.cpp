// The output path never destroys a user's file: -o naming an input of the command (by
// file identity: symlinks and hard links too), a device, FIFO, socket, folder or a
// write-protected file is refused with exit 2 and nothing written; long names work.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "AppTestSupport.hpp"
#include "output/ResultsFile.hpp"

using namespace salesflow;
using namespace salesflow::test;
namespace fs = std::filesystem;

namespace {

const char* base_yaml = R"(name: base
simulation: {horizon: 2w, warmup: 0, replications: 2, calendar: 24/7}
sources:
  - {name: web, arrivals: 10/w}
stages:
  - {name: work, role: rep, effort: 1h}
roles:
  - {name: rep, headcount: 1}
)";

// Names of the entries of `dir`.
std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

struct Inputs {
    fs::path dir;
    std::map<std::string, std::string> content;  // file -> text
};

Inputs make_inputs(const std::string& name) {
    Inputs in{scratch(name), {}};
    in.content["base.yaml"] = base_yaml;
    in.content["child.yaml"] = "extends: base.yaml\nname: child\n";
    in.content["leads.csv"] = "arrival,quality\n1h,0.5\n2d,0.25\n";
    in.content["traced.yaml"] =
        "name: traced\nsimulation: {horizon: 1w, warmup: 0, replications: 1, calendar: 24/7}\n"
        "sources:\n  - {name: crm, trace: leads.csv}\nstages:\n  - {name: work, role: rep, effort: 1h}\n"
        "roles:\n  - {name: rep, headcount: 1}\n";
    in.content["other.yaml"] = "extends: base.yaml\nname: other\nroles:\n  - {name: rep, headcount: 2}\n";
    in.content["sweep.yaml"] = "name: sw\nscenario: child.yaml\nreplications: 1\nvary:\n  roles.rep.headcount: [1, 2]\n";
    for (const auto& [f, text] : in.content) write_file(in.dir / f, text);
    return in;
}

void check_untouched(const Inputs& in) {
    for (const auto& [f, text] : in.content) {
        CAPTURE(f);
        CHECK(read_file(in.dir / f) == text);
    }
}

}  // namespace

TEST_CASE("-o naming an input of the command is refused by file identity: exit 2, nothing written") {
    auto in = make_inputs("out-is-input");
    const auto names_before = entries(in.dir);
    struct Case {
        std::string args, target;
    };
    const std::vector<Case> cases = {
        {"run child.yaml", "child.yaml"},          // the scenario itself
        {"run child.yaml", "base.yaml"},           // a file of its extends chain
        {"run traced.yaml", "leads.csv"},          // its trace
        {"compare child.yaml other.yaml", "other.yaml"},  // the second file of compare
        {"compare child.yaml other.yaml", "base.yaml"},
        {"sweep sweep.yaml", "sweep.yaml"},        // the sweep file
        {"sweep sweep.yaml", "child.yaml"},        // its base scenario
        {"sweep sweep.yaml", "base.yaml"},         // and what that extends
        {"sweep sweep.yaml --resume", "base.yaml"},
        {"run child.yaml", "./sub/../base.yaml"},  // another spelling of the same name
    };
    fs::create_directories(in.dir / "sub");
    in.content.erase("sub");
    for (const auto& c : cases) {
        CAPTURE(c.args);
        CAPTURE(c.target);
        const auto r = run_salesflow(c.args + " -q -o " + c.target, in.dir);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.out.find("is an input of this command") != std::string::npos, r.out);
        check_untouched(in);
    }
    // A symbolic link and a hard link to an input are the same file under another name.
    fs::create_symlink("base.yaml", in.dir / "link.h5");
    fs::create_hard_link(in.dir / "base.yaml", in.dir / "hard.h5");
    for (const char* target : {"link.h5", "hard.h5"}) {
        CAPTURE(target);
        const auto r = run_salesflow(std::string("run child.yaml -q -o ") + target, in.dir);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.out.find("is an input of this command") != std::string::npos, r.out);
        check_untouched(in);
        CHECK(fs::is_symlink(in.dir / "link.h5"));
    }
    auto after = entries(in.dir);
    std::erase_if(after, [](const std::string& s) { return s == "link.h5" || s == "hard.h5" || s == "sub"; });
    auto before = names_before;
    std::erase_if(before, [](const std::string& s) { return s == "sub"; });
    CHECK(after == before);  // no temporary file, lock or results file left behind
    // An ordinary output beside them still works.
    CHECK(run_salesflow("run child.yaml -q -o fine.h5", in.dir).status == 0);
}

TEST_CASE("-o naming a device, FIFO, socket, folder or write-protected file: exit 2, nothing replaced") {
    const auto dir = scratch("out-not-regular");
    write_file(dir / "s.yaml", base_yaml);
    REQUIRE(mkfifo((dir / "fifo").c_str(), 0644) == 0);
    const int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string sock_path = (dir / "sock").string();
    REQUIRE(sock_path.size() < sizeof addr.sun_path);
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock_path.c_str());
    REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    // A character device of our own (a copy of /dev/null's numbers): never risk the
    // system's /dev/null should this test run against a binary without the check.
    const bool have_device = mknod((dir / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
    if (have_device) fs::create_symlink("null", dir / "null-link");
    fs::create_directories(dir / "folder");
    struct Case {
        std::string target, expect;
    };
    std::vector<Case> cases = {
        {"fifo", "not a regular file"},
        {"sock", "not a regular file"},
        {"folder", "is a folder"},
        {"folder/", "is a folder"},
        {".", "is a folder"},
        {"..", "is a folder"},
        {"''", "empty"},
        {"s.yaml/out.h5", "not a folder"},
    };
    if (have_device) {
        cases.push_back({"null", "not a regular file"});
        cases.push_back({"null-link", "not a regular file"});
    } else {
        MESSAGE("mknod not permitted: the device case is skipped");
    }
    for (const auto& c : cases) {
        CAPTURE(c.target);
        const auto r = run_salesflow("run s.yaml -q -o " + c.target, dir);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.out.find(c.expect) != std::string::npos, r.out);
    }
    CHECK(fs::is_fifo(dir / "fifo"));
    CHECK(fs::is_socket(dir / "sock"));
    if (have_device) {
        CHECK(fs::is_character_file(dir / "null"));
        CHECK(fs::is_symlink(dir / "null-link"));
    }
    close(sock);

    // A folder we may not write in (root may write anywhere: then skipped).
    if (geteuid() != 0) {
        fs::create_directories(dir / "ro");
        fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
        const auto ro = run_salesflow("run s.yaml -q -o ro/out.h5", dir);
        CHECK(ro.status == 2);
        CHECK_MESSAGE(ro.out.find("cannot write in the folder") != std::string::npos, ro.out);
        fs::permissions(dir / "ro", fs::perms::owner_all);
    }
    // A write-protected results file is not silently replaced.
    write_file(dir / "old.h5", "earlier results");
    fs::permissions(dir / "old.h5", fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const auto r = run_salesflow("run s.yaml -q -o old.h5", dir);
    CHECK(r.status == 2);
    CHECK_MESSAGE(r.out.find("write-protected") != std::string::npos, r.out);
    CHECK(read_file(dir / "old.h5") == "earlier results");
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}

TEST_CASE("long output names work: the temporary name stays within NAME_MAX") {
    const auto dir = scratch("out-long-name");
    write_file(dir / "s.yaml", base_yaml);
    for (const std::size_t len : {200, 240, 255}) {
        CAPTURE(len);
        const std::string name = std::string(len - 3, 'x') + ".h5";
        REQUIRE(name.size() == len);
        const auto r = run_salesflow("run s.yaml -q -o " + name, dir);
        CHECK_MESSAGE(r.status == 0, r.out);
        CHECK(output::ResultsFile::open_read(dir / name).int_attribute("/runs/base", "complete") == 1);
        // Two names that agree on their first 230 bytes do not share temporary files.
        const std::string twin = std::string(len - 3, 'x').substr(0, len - 4) + "y.h5";
        CHECK(run_salesflow("run s.yaml -q -o " + twin, dir).status == 0);
    }
    const auto r = run_salesflow("run s.yaml -q -o " + std::string(256, 'z'), dir);
    CHECK(r.status == 2);
    CHECK_MESSAGE(r.out.find("longer than") != std::string::npos, r.out);
    for (const auto& e : fs::directory_iterator(dir)) {
        CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
        CHECK(e.path().filename().string().find(".lock") == std::string::npos);
    }
}

TEST_CASE("a FIFO as input is refused at once, not read for ever") {
    const auto dir = scratch("fifo-input");
    REQUIRE(mkfifo((dir / "in.yaml").c_str(), 0644) == 0);
    const auto r = run_salesflow("validate in.yaml", dir);
    CHECK(r.status == 2);
    CHECK_MESSAGE(r.out.find("in.yaml: cannot read file: it is a FIFO, not a regular file") != std::string::npos, r.out);
}

TEST_CASE("two processes writing the same output: the second exits 1 at once, the first's work is intact") {
    const auto dir = scratch("out-locked");
    write_file(dir / "s.yaml", base_yaml);
    write_file(dir / "t.yaml", "extends: s.yaml\nname: other\n");
    const std::string big = source_path("scenarios/resource-optimised.yaml");
    // The first runs until stopped by SIGTERM (far more replications than it gets to).
    const pid_t first = spawn({"run", big, "--replications", "1000000", "-q", "--threads", "1", "-o", "out.h5"}, dir);
    for (int i = 0; i < 1000 && !fs::exists(dir / ".out.h5.lock"); ++i) usleep(10'000);
    REQUIRE(fs::exists(dir / ".out.h5.lock"));
    for (const std::string second : {"run s.yaml -q -o out.h5", "compare s.yaml t.yaml -q -o out.h5"}) {
        CAPTURE(second);
        const auto r = run_salesflow(second, dir);
        CHECK(r.status == 1);
        CHECK_MESSAGE(r.out.find("is being written by another salesflow process") != std::string::npos, r.out);
    }
    kill(first, SIGTERM);
    CHECK(wait_status(first) == 1);  // interrupted: its completed replications kept
    const auto f = output::ResultsFile::open_read(dir / "out.h5");
    const std::string g = "/runs/resource-optimised";
    CHECK(f.int_attribute(g, "complete") == 0);
    const auto rows = f.read_table_column_int64(g + "/replications", "replication");
    CHECK(rows.size() > 0);
    CHECK(static_cast<std::int64_t>(rows.size()) == f.int_attribute(g, "replications"));
    CHECK_FALSE(f.exists("/runs/base"));
    CHECK_FALSE(f.exists("/runs/other"));
    CHECK(entries(dir) == std::vector<std::string>{"out.h5", "s.yaml", "t.yaml"});  // no lock or temporary file left
}

TEST_CASE("calibrate and crm-export -o: a device, FIFO, write-protected file or an input is refused: exit 2, kept") {
    // They wrote through their own temporary file and rename without the results files'
    // checks: as root `calibrate ... -o /dev/null` replaced the system's /dev/null with
    // a regular file, and crm-export replaced a file its scenario extends.
    const auto in = make_inputs("calibrate-out");
    const fs::path& dir = in.dir;
    const std::string crm = source_path("scenarios/crm");
    fs::copy_file(crm + "/deals-list.csv", dir / "deals.csv", fs::copy_options::overwrite_existing);
    fs::copy_file(crm + "/deals-list.map.yaml", dir / "deals.map.yaml", fs::copy_options::overwrite_existing);
    REQUIRE(mkfifo((dir / "fifo").c_str(), 0644) == 0);
    const bool have_device = mknod((dir / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0;
    write_file(dir / "old.yaml", "earlier");
    fs::permissions(dir / "old.yaml", fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    std::vector<std::pair<std::string, std::string>> cases = {
        {"fifo", "results file 'fifo' is a FIFO, not a regular file: refusing to replace it"},
        {"old.yaml", "results file 'old.yaml' is write-protected: refusing to replace it"},
    };
    if (have_device) cases.push_back({"null", "results file 'null' is a character device, not a regular file"});
    for (const auto& [target, expect] : cases) {
        CAPTURE(target);
        auto r = run_salesflow("calibrate deals.csv --map deals.map.yaml --check-replications 0 -o " + target, dir);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.out.find(expect) != std::string::npos, r.out);
        r = run_salesflow("crm-export child.yaml -o " + target, dir);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.out.find(expect) != std::string::npos, r.out);
    }
    CHECK(fs::is_fifo(dir / "fifo"));
    if (have_device) CHECK(fs::is_character_file(dir / "null"));
    CHECK(read_file(dir / "old.yaml") == "earlier");
    // crm-export -o the file its scenario extends.
    const auto r = run_salesflow("crm-export child.yaml -o base.yaml", dir);
    CHECK(r.status == 2);
    CHECK_MESSAGE(r.out.find("results file 'base.yaml' is an input of this command") != std::string::npos, r.out);
    check_untouched(in);
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
}
