// ResultsFile: root attributes, attribute/group helpers, reading back, and the atomic
// create/commit/discard life cycle.
#include "TestSupport.hpp"

#include "output/Hdf5Error.hpp"
#include "output/ResultsFile.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <regex>
#include <stdexcept>

using namespace salesflow::output;
using namespace salesflow::output::test;

namespace {

void write_some_table(ResultsFile& f, const std::string& path, int rows) {
    TableSchema s;
    s.add_int64("i").add_float64("x");
    Table t = f.create_table(path, s);
    RowBatch b = t.make_batch();
    for (int i = 0; i < rows; ++i) b.put_int64(i).put_float64(i * 0.5);
    t.append(b);
}

}  // namespace

TEST_CASE("ResultsFile writes the root attributes and commits into a new folder") {
    ScratchDir dir;
    const fs::path target = dir / "results/sub/out.h5";
    fs::path temp;
    {
        auto f = ResultsFile::create(target, "0.1.0-test", "salesflow run a.yaml -o 'x y.h5'");
        temp = f.temp_path();
        CHECK(f.writable());
        CHECK(fs::is_directory(dir / "results/sub"));
        CHECK(temp.parent_path() == target.parent_path());
        CHECK(temp.filename().string().rfind(".out.h5.tmp-" + std::to_string(::getpid()) + "-", 0) == 0);
        CHECK(fs::exists(temp));
        CHECK_FALSE(fs::exists(target));  // nothing at the target before commit
        f.commit();
        CHECK(f.committed());
        CHECK_FALSE(f.is_open());
        CHECK_THROWS_AS(f.commit(), std::logic_error);
    }
    CHECK_FALSE(fs::exists(temp));
    CHECK(temp_files_in(target.parent_path()).empty());
    REQUIRE(fs::exists(target));

    auto raw = open_raw(target);
    CHECK(raw_string_attr(raw, "/", "format") == "salesflow-results");
    CHECK(raw_number_attr<std::int64_t>(raw, "/", "format_version", H5T_NATIVE_INT64) == 1);
    CHECK(raw_attr_type(raw, "/", "format_version").first == H5T_INTEGER);
    CHECK(raw_string_attr(raw, "/", "salesflow_version") == "0.1.0-test");
    CHECK(raw_string_attr(raw, "/", "command_line") == "salesflow run a.yaml -o 'x y.h5'");
    const std::string created = raw_string_attr(raw, "/", "created_utc");
    CHECK(std::regex_match(created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

TEST_CASE("ResultsFile never harms an existing target without commit") {
    ScratchDir dir;
    const fs::path target = dir / "out.h5";
    const std::string original = "not even HDF5: the previous results\n" + std::string(5000, '#');
    write_bytes(target, original);

    SUBCASE("destroyed without commit") {
        {
            auto f = ResultsFile::create(target, "v", "cmd");
            write_some_table(f, "/runs/a/replications", 10);
            CHECK(fs::exists(f.temp_path()));
        }
        CHECK(file_bytes(target) == original);
        CHECK(temp_files_in(dir.path()).empty());
    }
    SUBCASE("an exception thrown mid-write") {
        fs::path temp;
        try {
            auto f = ResultsFile::create(target, "v", "cmd");
            temp = f.temp_path();
            write_some_table(f, "/runs/a/replications", 10);
            Table t = f.open_table("/runs/a/replications");
            RowBatch b = t.make_batch();
            b.put_int64(1);
            t.append(b);  // half a row: throws
            f.commit();
            FAIL("append should have thrown");
        } catch (const std::logic_error&) {
        }
        CHECK_FALSE(temp.empty());
        CHECK_FALSE(fs::exists(temp));
        CHECK(file_bytes(target) == original);
        CHECK(temp_files_in(dir.path()).empty());
    }
    SUBCASE("explicit discard, then destruction") {
        auto f = ResultsFile::create(target, "v", "cmd");
        const fs::path temp = f.temp_path();
        f.discard();
        CHECK_FALSE(fs::exists(temp));
        CHECK_FALSE(f.is_open());
        CHECK_THROWS_AS(f.commit(), std::logic_error);
        CHECK(file_bytes(target) == original);
    }
    SUBCASE("a moved-from file does not remove the moved-to one's temporary") {
        auto a = ResultsFile::create(target, "v", "cmd");
        const fs::path temp = a.temp_path();
        {
            ResultsFile b = std::move(a);
            CHECK(b.temp_path() == temp);
            CHECK(a.temp_path().empty());
            b.commit();
        }
        CHECK_FALSE(fs::exists(temp));
        CHECK(file_bytes(target) != original);
    }
    SUBCASE("commit replaces it") {
        {
            auto f = ResultsFile::create(target, "v2", "cmd2");
            write_some_table(f, "/runs/a/replications", 3);
            CHECK(file_bytes(target) == original);  // still untouched before commit
            f.commit();
        }
        CHECK(file_bytes(target) != original);
        CHECK(temp_files_in(dir.path()).empty());
        auto r = ResultsFile::open_read(target);
        CHECK(r.string_attribute("/", "salesflow_version") == "v2");
        CHECK(r.read_table_column_int64("/runs/a/replications", "i") == std::vector<std::int64_t>{0, 1, 2});
    }
    SUBCASE("commit closes tables that are still open") {
        auto f = ResultsFile::create(target, "v", "cmd");
        TableSchema s;
        s.add_float64("x");
        Table t = f.create_table("/t", s);
        RowBatch b = t.make_batch();
        b.put_float64(42.0);
        t.append(b);
        f.commit();  // t is still alive here
        auto r = ResultsFile::open_read(target);
        CHECK(r.read_table_column_double("/t", "x") == std::vector<double>{42.0});
    }
}

TEST_CASE("ResultsFile::modify changes a copy and swaps it in on commit") {
    ScratchDir dir;
    const fs::path target = dir / "sweep.h5";
    {
        auto f = ResultsFile::create(target, "v", "cmd");
        write_some_table(f, "/sweeps/s/points", 2);
        f.commit();
    }
    const std::string before = file_bytes(target);
    SUBCASE("without commit the original stays") {
        {
            auto f = ResultsFile::modify(target);
            Table t = f.open_table("/sweeps/s/points");
            CHECK(t.rows() == 2);
            RowBatch b = t.make_batch();
            b.put_int64(2).put_float64(1.0);
            t.append(b);
        }
        CHECK(file_bytes(target) == before);
        CHECK(temp_files_in(dir.path()).empty());
    }
    SUBCASE("with commit the rows are added") {
        {
            auto f = ResultsFile::modify(target);
            Table t = f.open_table("/sweeps/s/points");
            RowBatch b = t.make_batch();
            b.put_int64(2).put_float64(1.0);
            t.append(b);
            f.set_string_attribute("/", "command_line", "cmd --resume");
            f.commit();
        }
        auto r = ResultsFile::open_read(target);
        CHECK(r.read_table_column_int64("/sweeps/s/points", "i") == std::vector<std::int64_t>{0, 1, 2});
        CHECK(r.read_table_column_double("/sweeps/s/points", "x") == std::vector<double>{0.0, 0.5, 1.0});
        CHECK(r.string_attribute("/", "command_line") == "cmd --resume");
        CHECK(r.string_attribute("/", "format") == "salesflow-results");
        CHECK(temp_files_in(dir.path()).empty());
    }
    SUBCASE("a missing file cannot be modified") {
        CHECK_THROWS(ResultsFile::modify(dir / "missing.h5"));
        CHECK(temp_files_in(dir.path()).empty());
    }
}

TEST_CASE("ResultsFile groups and attributes round-trip") {
    ScratchDir dir;
    const fs::path target = dir / "attrs.h5";
    const std::uint64_t big_seed = std::numeric_limits<std::uint64_t>::max() - 1;
    {
        auto f = ResultsFile::create(target, "v", "cmd");
        f.create_group("/runs/zeta");
        f.create_group("/runs/alpha");
        f.create_group("/runs/mid/");
        f.create_group("/runs/alpha");  // exists: fine
        CHECK(f.exists("/runs/alpha"));
        CHECK_FALSE(f.exists("/runs/beta"));
        CHECK_FALSE(f.exists("/nope/deeper"));
        CHECK(f.exists("/"));
        CHECK(f.children("/runs") == std::vector<std::string>{"zeta", "alpha", "mid"});

        f.set_string_attribute("/runs/zeta", "scenario_yaml", "name: zeta\nroles:\n  ae: {headcount: 3}\n");
        f.set_uint_attribute("/runs/zeta", "seed", big_seed);
        f.set_int_attribute("/runs/zeta", "replications", -5);
        f.set_double_attribute("/runs/zeta", "horizon_h", 8760.25);
        f.set_string_array_attribute("/runs/zeta", "stages", {"qualify", "propose", "négocier"});
        f.set_string_array_attribute("/runs/zeta", "roles", {});
        f.set_int_attribute("/runs/zeta", "replications", 5);  // replaced
        write_some_table(f, "/runs/zeta/replications", 1);
        f.set_string_attribute("/runs/zeta/replications", "note", "on a table");
        CHECK_THROWS_AS(f.create_group("/runs/zeta/replications/x"), std::invalid_argument);
        CHECK_THROWS_AS(f.set_int_attribute("/runs/none", "a", 1), Hdf5Error);
        f.commit();
    }
    {
        auto raw = open_raw(target);
        CHECK(raw_string_attr(raw, "/runs/zeta", "scenario_yaml") == "name: zeta\nroles:\n  ae: {headcount: 3}\n");
        CHECK(raw_number_attr<std::uint64_t>(raw, "/runs/zeta", "seed", H5T_NATIVE_UINT64) == big_seed);
        CHECK(raw_number_attr<std::int64_t>(raw, "/runs/zeta", "replications", H5T_NATIVE_INT64) == 5);
        CHECK(raw_number_attr<double>(raw, "/runs/zeta", "horizon_h", H5T_NATIVE_DOUBLE) == 8760.25);
        CHECK(raw_string_array_attr(raw, "/runs/zeta", "stages") ==
              std::vector<std::string>{"qualify", "propose", "négocier"});
        CHECK(raw_string_array_attr(raw, "/runs/zeta", "roles").empty());
        CHECK(raw_string_attr(raw, "/runs/zeta/replications", "note") == "on a table");
    }
    auto r = ResultsFile::open_read(target);
    CHECK_FALSE(r.writable());
    CHECK(r.temp_path().empty());
    CHECK(r.uint_attribute("/runs/zeta", "seed") == big_seed);
    CHECK(r.int_attribute("/runs/zeta", "replications") == 5);
    CHECK(r.double_attribute("/runs/zeta", "horizon_h") == 8760.25);
    CHECK(r.double_attribute("/runs/zeta", "replications") == 5.0);
    CHECK(r.string_array_attribute("/runs/zeta", "stages") ==
          std::vector<std::string>{"qualify", "propose", "négocier"});
    CHECK(r.string_array_attribute("/runs/zeta", "roles").empty());
    CHECK(r.has_attribute("/runs/zeta", "seed"));
    CHECK_FALSE(r.has_attribute("/runs/zeta", "nope"));
    CHECK_FALSE(r.has_attribute("/runs/nope", "seed"));
    CHECK(r.children("/runs") == std::vector<std::string>{"zeta", "alpha", "mid"});
    CHECK(r.children("/") == std::vector<std::string>{"runs"});
    CHECK_THROWS_AS(r.string_attribute("/runs/zeta", "seed"), std::runtime_error);
    CHECK_THROWS_AS(r.int_attribute("/runs/zeta", "scenario_yaml"), std::runtime_error);
    CHECK_THROWS_AS(r.string_attribute("/runs/zeta", "stages"), std::runtime_error);
    CHECK_THROWS_AS(r.int_attribute("/runs/zeta", "missing"), Hdf5Error);
    // Read-only: every change is refused and the file is untouched.
    CHECK_THROWS_AS(r.set_int_attribute("/", "x", 1), std::logic_error);
    CHECK_THROWS_AS(r.create_group("/x"), std::logic_error);
    CHECK_THROWS_AS(r.commit(), std::logic_error);
}

TEST_CASE("ResultsFile refuses unusable targets") {
    ScratchDir dir;
    fs::create_directories(dir / "adir");
    CHECK_THROWS_AS(ResultsFile::create(dir / "adir", "v", "c"), std::invalid_argument);
    CHECK_THROWS(ResultsFile::open_read(dir / "missing.h5"));
    write_bytes(dir / "junk.h5", "not hdf5");
    CHECK_THROWS_AS(ResultsFile::open_read(dir / "junk.h5"), Hdf5Error);
    CHECK_THROWS_AS(ResultsFile::create(dir / "", "v", "c"), OutputPathError);
    CHECK_THROWS_AS(ResultsFile::create(dir / "junk.h5" / "x.h5", "v", "c"), OutputPathError);
}

TEST_CASE("ResultsFile: one writer per target; temporary files of dead runs are removed") {
    ScratchDir dir;
    const auto target = dir / "r.h5";
    auto entries = [&] {
        std::vector<std::string> v;
        for (const auto& e : fs::directory_iterator(dir.path())) v.push_back(e.path().filename().string());
        std::sort(v.begin(), v.end());
        return v;
    };
    {
        auto a = ResultsFile::create(target, "v", "c");
        // While `a` lives, nobody else may write r.h5, not even a resume.
        CHECK_THROWS_AS(ResultsFile::create(target, "v", "c"), OutputBusyError);
        CHECK(entries().size() == 2);  // a's temporary file and the lock
        a.commit();
        CHECK_THROWS_AS(ResultsFile::modify(target), OutputBusyError);
    }
    CHECK(entries() == std::vector<std::string>{"r.h5"});  // lock released and removed
    // A dead run's temporary file (no lock on it) is removed by the next writer; a file
    // whose name only looks similar, or a live one (locked), is left alone.
    write_bytes(dir / ".r.h5.tmp-123-0badf00d", "dead");
    write_bytes(dir / ".r.h5.tmp-123-0badf00d.keep", "not ours");
    write_bytes(dir / ".r.h5.tmp-live-00000000", "not ours");
    write_bytes(dir / ".r.h5.tmp-77-cafe0000", "alive");
    {
        TemporaryLock alive(dir / ".r.h5.tmp-77-cafe0000");
        auto b = ResultsFile::modify(target);
        b.commit();
    }
    CHECK(entries() == std::vector<std::string>{".r.h5.tmp-123-0badf00d.keep", ".r.h5.tmp-77-cafe0000",
                                                ".r.h5.tmp-live-00000000", "r.h5"});
}

TEST_CASE("hidden names stay within NAME_MAX and differ for different long targets") {
    const std::string a(255, 'a');
    const std::string b = std::string(254, 'a') + "b";
    const auto ta = hidden_sibling(a, ".tmp-4194304-01234567").filename().string();
    const auto tb = hidden_sibling(b, ".tmp-4194304-01234567").filename().string();
    CHECK(ta.size() <= 255);
    CHECK(ta != tb);
    CHECK(hidden_sibling("x.h5", ".lock").filename().string() == ".x.h5.lock");
    // The same stem whatever the suffix: temporary files are found from the target alone.
    const auto la = hidden_sibling(a, ".lock").filename().string();
    CHECK(la.substr(0, la.size() - 5) == ta.substr(0, ta.size() - 21));
}

namespace {

// HDF5 cannot count the ids of its own "library" kinds (datatypes, dataspaces, property
// lists), but it hands them out with consecutive numbers: every id between two probes
// made before and after some work that is still valid was left open by that work.
struct IdProbe {
    hid_t type, space, plist;
};

IdProbe probe() {
    IdProbe p{H5Tcopy(H5T_NATIVE_INT), H5Screate(H5S_SCALAR), H5Pcreate(H5P_FILE_ACCESS)};
    H5Tclose(p.type);
    H5Sclose(p.space);
    H5Pclose(p.plist);
    return p;
}

int open_between(hid_t from, hid_t to) {
    int n = 0;
    for (hid_t id = from + 1; id < to; ++id)
        if (H5Iis_valid(id) > 0) ++n;
    return n;
}

// Writes, reads and fails in every way the API allows, then leaves.
void exercise(const fs::path& dir) {
    const fs::path target = dir / "ids.h5";
    {
        auto f = ResultsFile::create(target, "v", "cmd");
        write_some_table(f, "/a/t", 5);
        f.set_string_array_attribute("/a", "names", {"x", "y"});
        CHECK_THROWS(f.set_int_attribute("/missing", "x", 1));
        CHECK_THROWS(f.open_table("/missing"));
        CHECK_THROWS(f.read_table_column_double("/a/t", "missing"));
        Table t = f.open_table("/a/t");
        RowBatch half = t.make_batch();
        half.put_int64(1);
        CHECK_THROWS(t.append(half));
        f.commit();
    }
    {
        auto r = ResultsFile::open_read(target);
        CHECK(r.read_table_column_int64("/a/t", "i").size() == 5);
        CHECK(r.string_array_attribute("/a", "names").size() == 2);
        CHECK(r.children("/a").size() == 1);
        CHECK_THROWS(r.string_attribute("/a", "names"));
        CHECK_THROWS(r.int_attribute("/a", "none"));
    }
    try {
        auto m = ResultsFile::modify(target);
        write_some_table(m, "/b/t", 3);
        Table t = m.open_table("/b/t");  // left open when the exception flies
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
}

}  // namespace

TEST_CASE("no HDF5 identifier stays open, also after errors and exceptions") {
    ScratchDir dir;
    exercise(dir.path());  // warm-up: the library creates some defaults lazily
    const IdProbe before = probe();
    exercise(dir.path());
    const IdProbe after = probe();
    CHECK(after.space - before.space > 10);  // the probes did bracket the work
    CHECK(open_between(before.type, after.type) == 0);
    CHECK(open_between(before.space, after.space) == 0);
    CHECK(open_between(before.plist, after.plist) == 0);
    // Files, groups, datasets and attributes: none open anywhere.
    CHECK(H5Fget_obj_count(static_cast<hid_t>(H5F_OBJ_ALL), H5F_OBJ_ALL) == 0);
    CHECK(temp_files_in(dir.path()).empty());
}
