// ScenarioFolder: only relative names of .yaml files whose real path is inside the folder.
#include <doctest/doctest.h>

#include <algorithm>

#include "ServeTestSupport.hpp"
#include "serve/ScenarioFolder.hpp"

using salesflow::serve::AccessError;
using salesflow::serve::ScenarioFolder;
using salesflow::test::TempDir;
namespace fs = std::filesystem;

namespace {

int status_of(const ScenarioFolder& f, const std::string& name) {
    try {
        f.resolve(name);
        return 200;
    } catch (const AccessError& e) {
        return e.status();
    }
}

struct Fixture {
    TempDir outer;
    fs::path served;
    Fixture() {
        outer.write("secret.yaml", "name: secret\n");
        outer.write("served/a.yaml", "name: a\n");
        outer.write("served/sub/b.yaml", "name: b\n");
        outer.write("served/sub/deeper/c.yaml", "name: c\n");
        outer.write("served/.hidden.yaml", "name: h\n");
        outer.write("served/notes.txt", "x\n");
        served = outer.path / "served";
        fs::create_symlink(outer.path / "secret.yaml", served / "out-link.yaml");        // leads outside
        fs::create_symlink(served / "a.yaml", served / "in-link.yaml");                 // stays inside
        fs::create_directory_symlink(outer.path, served / "outdir");                   // a folder outside
    }
};

}  // namespace

TEST_CASE("a plain relative name inside the folder resolves to the folder as given plus the name") {
    Fixture fx;
    const ScenarioFolder f(fx.served.string());
    CHECK(f.resolve("a.yaml") == (fx.served / "a.yaml").string());
    CHECK(f.resolve("sub/b.yaml") == (fx.served / "sub/b.yaml").string());
    CHECK(status_of(f, "in-link.yaml") == 200);
}

TEST_CASE("path traversal is refused: .., absolute paths, symlinks leading out, encoded dots, backslashes") {
    Fixture fx;
    const ScenarioFolder f(fx.served.string());
    const std::vector<std::string> refused{"../secret.yaml", "sub/../../secret.yaml", "./a.yaml", "sub/./b.yaml", "/etc/passwd", "/etc/hosts.yaml",
          (fx.outer.path / "secret.yaml").string(), (fx.served / "a.yaml").string(), "out-link.yaml",
          "outdir/secret.yaml", "%2e%2e/secret.yaml", "..%2fsecret.yaml", "%2E%2E%2Fsecret.yaml", "..\\secret.yaml",
          "sub\\b.yaml", ".hidden.yaml", "sub/deeper/c.yaml", "a.yaml/", "notes.txt", ""};
    for (const auto& bad : refused) {
        CAPTURE(bad);
        CHECK(status_of(f, bad) == 403);
    }
    CHECK(status_of(f, std::string("a.yaml\0.yaml", 12)) == 403);   // an embedded NUL
    // The refusal names the rule and never the real path of the file.
    try {
        f.resolve("out-link.yaml");
        FAIL("resolved");
    } catch (const AccessError& e) {
        CHECK(std::string(e.what()) ==
              "refused: 'out-link.yaml' is not a scenario file of the served folder (a relative name like '02-wip.yaml' "
              "or 'board/flow-optimised.yaml', without '..'): it leads outside the folder");
    }
}

TEST_CASE("a well-formed name of no file is 404") {
    Fixture fx;
    const ScenarioFolder f(fx.served.string());
    CHECK(status_of(f, "missing.yaml") == 404);
    CHECK(status_of(f, "sub/missing.yml") == 404);
}

TEST_CASE("the listing holds exactly the names that resolve") {
    Fixture fx;
    const ScenarioFolder f(fx.served.string());
    const std::vector<std::string> expected{"a.yaml", "in-link.yaml", "sub/b.yaml"};
    CHECK(f.list() == expected);
}

TEST_CASE("a folder that does not exist is refused at once") {
    CHECK_THROWS_AS(ScenarioFolder("/nonexistent/folder/x"), std::invalid_argument);
}
