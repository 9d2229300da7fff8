// TableSchema, RowBatch and Table: layout, type checks, and a full write/read round trip
// checked through the HDF5 C API.
#include "TestSupport.hpp"

#include "output/Hdf5Error.hpp"
#include "output/Hdf5Handle.hpp"
#include "output/RowBatch.hpp"
#include "output/Table.hpp"
#include "output/TableSchema.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>

using namespace salesflow::output;
using namespace salesflow::output::test;

namespace {

TableSchema mixed_schema() {
    TableSchema s;
    s.add_int64("replication").add_float64("stage.qualify.wait_mean_h").add_text("name").add_text("code", 6);
    return s;
}

Hdf5Handle new_raw_file(const fs::path& p) {
    return Hdf5Handle::checked(H5Fcreate(p.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "test file");
}

}  // namespace

TEST_CASE("TableSchema packs columns in order and rejects bad names") {
    TableSchema s = mixed_schema();
    CHECK(s.size() == 4);
    CHECK(s.offset(0) == 0);
    CHECK(s.offset(1) == 8);
    CHECK(s.offset(2) == 16);
    CHECK(s.offset(3) == 16 + sizeof(char*));
    CHECK(s.row_bytes() == 16 + sizeof(char*) + 6);
    CHECK(s.index_of("stage.qualify.wait_mean_h") == 1);
    CHECK_FALSE(s.find("missing").has_value());
    CHECK(s.has_variable_text());
    CHECK_THROWS_AS(s.index_of("missing"), std::out_of_range);
    CHECK_THROWS_AS(s.add_float64("replication"), std::invalid_argument);
    CHECK_THROWS_AS(s.add_float64(""), std::invalid_argument);
    CHECK_THROWS_AS(s.add(Column{"x", ColumnType::int64, 3}), std::invalid_argument);
    CHECK(s.size() == 4);  // failed adds change nothing
}

TEST_CASE("RowBatch builds rows, checks types and widths") {
    RowBatch b(mixed_schema());
    CHECK(b.empty());

    SUBCASE("row builder") {
        b.put_int64(7).put_float64(1.25).put_text("Zürich").put_text("abcdef");
        CHECK(b.rows() == 1);
        CHECK_FALSE(b.row_open());
        b.put_int64(8);
        CHECK(b.row_open());
        CHECK(b.rows() == 1);
        CHECK_THROWS_AS(b.put_text("wrong type"), std::logic_error);
        b.put_float64(-0.5).put_text("");
        CHECK_THROWS_AS(b.put_text("toolong!"), std::length_error);  // 8 bytes into width 6
        CHECK(b.row_open());
        b.put_text("xy");
        CHECK(b.rows() == 2);
        CHECK(b.get_int64(0, 0) == 7);
        CHECK(b.get_float64(0, 1) == 1.25);
        CHECK(b.get_text(0, 2) == "Zürich");
        CHECK(b.get_text(0, 3) == "abcdef");
        CHECK(b.get_int64(1, 0) == 8);
        CHECK(b.get_text(1, 2) == "");
        CHECK(b.get_text(1, 3) == "xy");
        CHECK_THROWS_AS(b.get_float64(0, 0), std::logic_error);
        CHECK_THROWS_AS(b.get_int64(2, 0), std::out_of_range);
    }
    SUBCASE("column-wise") {
        b.resize(3);
        CHECK(b.rows() == 3);
        CHECK(b.get_text(2, 2) == "");
        CHECK(b.get_float64(2, 1) == 0.0);
        for (std::size_t r = 0; r < 3; ++r) {
            b.set_int64(r, 0, static_cast<std::int64_t>(r * 10));
            b.set_float64(r, 1, static_cast<double>(r) / 4);
            b.set_text(r, 2, "n" + std::to_string(r));
            b.set_text(r, 3, std::string(r, 'z'));
        }
        CHECK(b.get_int64(2, 0) == 20);
        CHECK(b.get_float64(1, 1) == 0.25);
        CHECK(b.get_text(1, 2) == "n1");
        CHECK(b.get_text(2, 3) == "zz");
        b.resize(1);
        CHECK(b.rows() == 1);
        b.clear();
        CHECK(b.empty());
    }
    SUBCASE("moving keeps variable-length text valid") {
        b.put_int64(1).put_float64(2).put_text(std::string(100, 'q')).put_text("a");
        RowBatch moved = std::move(b);
        CHECK(moved.get_text(0, 2) == std::string(100, 'q'));
    }
}

TEST_CASE("Table appends batches and reads them back exactly") {
    ScratchDir dir;
    const fs::path path = dir / "table.h5";
    const double tiny = std::numeric_limits<double>::denorm_min();
    const double nan_bits_free_max = std::numeric_limits<double>::max();
    {
        auto file = new_raw_file(path);
        Table t = Table::create(file, "/group/sub/t", mixed_schema(), TableOptions{.chunk_rows = 2});
        CHECK(t.rows() == 0);
        RowBatch b = t.make_batch();
        b.put_int64(std::numeric_limits<std::int64_t>::min()).put_float64(tiny).put_text("Zürich").put_text("ab");
        b.put_int64(1).put_float64(nan_bits_free_max).put_text("").put_text("abcdef");
        b.put_int64(2).put_float64(-3.5).put_text(std::string(1000, 'x')).put_text("");
        t.append(b);
        CHECK(t.rows() == 3);
        b.clear();
        b.put_int64(3).put_float64(0.1).put_text("d").put_text("é");
        b.put_int64(4).put_float64(1e300).put_text("e").put_text("e");
        t.append(b);
        t.append(t.make_batch());  // empty: no-op
        CHECK(t.rows() == 5);

        RowBatch half = t.make_batch();
        half.put_int64(9);
        CHECK_THROWS_AS(t.append(half), std::logic_error);
        RowBatch other(TableSchema({Column::float64("x")}));
        other.put_float64(1);
        CHECK_THROWS_AS(t.append(other), std::invalid_argument);
        CHECK(t.rows() == 5);
        CHECK_THROWS_AS(Table::create(file, "/group/sub/t", mixed_schema()), Hdf5Error);
    }
    const std::string d = "/group/sub/t";
    {
    // Independently, through the C API.
    auto raw = open_raw(path);
    CHECK(raw_field_names(raw, d) == std::vector<std::string>{"replication", "stage.qualify.wait_mean_h", "name", "code"});
    CHECK(raw_column<std::int64_t>(raw, d, "replication", H5T_NATIVE_INT64) ==
          std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min(), 1, 2, 3, 4});
    CHECK(raw_column<double>(raw, d, "stage.qualify.wait_mean_h", H5T_NATIVE_DOUBLE) ==
          std::vector<double>{tiny, nan_bits_free_max, -3.5, 0.1, 1e300});
    CHECK(raw_text_column(raw, d, "name") == std::vector<std::string>{"Zürich", "", std::string(1000, 'x'), "d", "e"});
    CHECK(raw_text_column(raw, d, "code") == std::vector<std::string>{"ab", "abcdef", "", "é", "e"});
    const RawLayout layout = raw_layout(raw, d);
    CHECK(layout.chunked);
    CHECK(layout.deflate);
    CHECK(layout.unlimited);
    CHECK(layout.compound);
    {
        // Text is UTF-8 for readers that decode it.
        Raw ds(H5Dopen2(raw, d.c_str(), H5P_DEFAULT), H5Dclose);
        Raw type(H5Dget_type(ds), H5Tclose);
        Raw name_type(H5Tget_member_type(type, 2), H5Tclose);
        Raw code_type(H5Tget_member_type(type, 3), H5Tclose);
        CHECK(H5Tget_cset(name_type) == H5T_CSET_UTF8);
        CHECK(H5Tis_variable_str(name_type) > 0);
        CHECK(H5Tget_cset(code_type) == H5T_CSET_UTF8);
        CHECK(H5Tget_size(code_type) == 6);
    }
    }

    SUBCASE("reopened, the schema and rows are the same, and it can grow") {
        auto file = Hdf5Handle::checked(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "reopen");
        Table t = Table::open(file, d);
        CHECK(t.schema() == mixed_schema());
        CHECK(t.rows() == 5);
        CHECK(t.read_int64("replication", 3) == std::vector<std::int64_t>{3, 4});
        CHECK(t.read_float64("stage.qualify.wait_mean_h", 1, 2) == std::vector<double>{nan_bits_free_max, -3.5});
        CHECK(t.read_float64("replication", 1, 1) == std::vector<double>{1.0});  // converted
        CHECK(t.read_text("name", 0, 2) == std::vector<std::string>{"Zürich", ""});
        CHECK(t.read_text("code") == std::vector<std::string>{"ab", "abcdef", "", "é", "e"});
        CHECK(t.read_text("code", 5).empty());
        CHECK_THROWS_AS(t.read_text("code", 6), std::out_of_range);
        CHECK_THROWS_AS(t.read_float64("name"), std::invalid_argument);
        CHECK_THROWS_AS(t.read_text("replication"), std::invalid_argument);
        CHECK_THROWS_AS(t.read_int64("nope"), std::out_of_range);
        RowBatch b = t.make_batch();
        b.put_int64(5).put_float64(5.5).put_text("f").put_text("f");
        t.append(b);
        CHECK(t.rows() == 6);
        CHECK(t.read_text("name", 5) == std::vector<std::string>{"f"});
    }
    SUBCASE("opening a missing table is an Hdf5Error") {
        auto file = Hdf5Handle::checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "reopen");
        CHECK_THROWS_AS(Table::open(file, "/nope"), Hdf5Error);
        try {
            Table::open(file, "/group/nope");
        } catch (const Hdf5Error& e) {
            CHECK(std::string(e.what()).find("/group/nope") != std::string::npos);
        }
    }
}

TEST_CASE("Table::fits: a thousand metric columns fit, ten thousand with long names do not") {
    TableSchema ok;
    ok.add_int64("replication");
    for (int i = 0; i < 1030; ++i) ok.add_float64("stage.stage_" + std::to_string(i) + ".wait_mean_h");
    CHECK(Table::fits(ok));
    TableSchema too_many;
    for (int i = 0; i < 10000; ++i) too_many.add_float64("stage." + std::string(100, 'x') + std::to_string(i) + ".wip_mean");
    CHECK_FALSE(Table::fits(too_many));
}

TEST_CASE("Table::fits: what its quick bound accepts without HDF5 really can be created") {
    // The bound: names + 96 bytes a column <= 32 KiB. At its edge, with the shortest and
    // with long names, of every column type, the table is created in a real file.
    ScratchDir dir;
    auto file = new_raw_file(dir / "edge.h5");
    const std::size_t lengths[] = {1, 32, 200};
    for (std::size_t len : lengths) {
        TableSchema s;
        std::size_t bound = 0;
        for (int i = 0; bound + len + 4 + 96 <= 32 * 1024; ++i) {
            const std::string name = std::string(len, 'c') + std::to_string(1000 + i);
            bound += name.size() + 96;
            if (i % 3 == 0) s.add_float64(name);
            else if (i % 3 == 1) s.add_int64(name);
            else s.add_text(name, i % 2 == 0 ? 0 : 12);
        }
        CAPTURE(len);
        CAPTURE(s.size());
        CHECK(Table::fits(s));
        CHECK_NOTHROW((void)Table::create(file, "/t" + std::to_string(len), s));
    }
}
