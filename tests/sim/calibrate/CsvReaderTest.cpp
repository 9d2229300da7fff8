#include <doctest/doctest.h>

#include <filesystem>

#include "AppTestSupport.hpp"
#include "calibrate/CsvReader.hpp"
#include "input/InputError.hpp"

using salesflow::calibrate::CsvReader;
using salesflow::calibrate::CsvRecord;
namespace t = salesflow::test;

TEST_CASE("CsvReader: BOM, CRLF, quotes with commas, doubled quotes and line breaks, blank lines") {
    const auto dir = t::scratch("csv-reader");
    t::write_file(dir / "a.csv", "\xEF\xBB\xBFid,name,amount\r\n1,\"Acme, Inc. \"\"X\"\"\",\"$1,000.00\"\r\n\r\n2,\"two\nlines\",5\r\n3,,\n");
    CsvReader r((dir / "a.csv").string());
    CsvRecord rec;
    REQUIRE(r.next(rec));
    CHECK(rec.size() == 3);
    CHECK(rec.fields[0].text == "id");          // the byte order mark is not part of the field
    CHECK(rec.fields[2].column == 9);
    REQUIRE(r.next(rec));
    CHECK(rec.line == 2);
    CHECK(rec.fields[1].text == "Acme, Inc. \"X\"");
    CHECK(rec.fields[2].text == "$1,000.00");
    CHECK(rec.fields[2].column == 22);   // the opening quote
    REQUIRE(r.next(rec));                        // the blank line is skipped
    CHECK(rec.line == 4);
    CHECK(rec.fields[1].text == "two\nlines");
    CHECK(rec.fields[2].text == "5");
    CHECK(rec.fields[2].line == 5);
    REQUIRE(r.next(rec));
    CHECK(rec.line == 6);
    CHECK(rec.size() == 3);
    CHECK(rec.fields[2].text.empty());
    CHECK_FALSE(r.next(rec));
}

TEST_CASE("CsvReader: an unterminated quote and a stray quote are reported where they are") {
    const auto dir = t::scratch("csv-reader-bad");
    t::write_file(dir / "q.csv", "a,b\n1,\"open\n2,3\n");
    CsvReader r((dir / "q.csv").string());
    CsvRecord rec;
    REQUIRE(r.next(rec));
    try {
        r.next(rec);
        FAIL("expected an error");
    } catch (const salesflow::input::InputError& e) {
        CHECK(std::string(e.what()) == (dir / "q.csv").string() + ":2:3: this quoted field is never closed (missing '\"')");
    }
    t::write_file(dir / "s.csv", "a,b\n1,x\"y\n");
    CsvReader s((dir / "s.csv").string());
    REQUIRE(s.next(rec));
    CHECK_THROWS_WITH(s.next(rec), ((dir / "s.csv").string() + ":2:4: a quote inside an unquoted field (quote the whole field and double the quote)").c_str());
}
