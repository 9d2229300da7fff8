#include <doctest/doctest.h>

#include "calibrate/FieldParse.hpp"

using namespace salesflow::calibrate;

TEST_CASE("parse_timestamp: zones and offsets give the same instant") {
    const double z = *parse_timestamp("2024-03-05T14:02:11Z");
    CHECK(z == doctest::Approx(static_cast<double>(days_from_civil(2024, 3, 5)) * 24.0 + 14 + 2 / 60.0 + 11 / 3600.0).epsilon(1e-12));
    CHECK(*parse_timestamp("2024-03-05T15:02:11+01:00") == doctest::Approx(z).epsilon(1e-12));
    CHECK(*parse_timestamp("2024-03-05T09:02:11-0500") == doctest::Approx(z).epsilon(1e-12));
    CHECK(*parse_timestamp("2024-03-05T14:02:11.000+0000") == doctest::Approx(z).epsilon(1e-12));
    CHECK(*parse_timestamp("2024-03-05 19:32:11 +05:30") == doctest::Approx(z).epsilon(1e-12));
    CHECK(*parse_timestamp("03/05/2024 2:02:11 PM", DateOrder::mdy) == doctest::Approx(z).epsilon(1e-12));
    CHECK(*parse_timestamp("05/03/2024 14:02:11", DateOrder::dmy) == doctest::Approx(z).epsilon(1e-12));
    CHECK(*parse_timestamp("2024-03-05 14:02:11", DateOrder::ymd, -1.0) == doctest::Approx(z + 1).epsilon(1e-12));
    CHECK(*parse_timestamp("2024-03-05") == doctest::Approx(static_cast<double>(days_from_civil(2024, 3, 5)) * 24.0));
    CHECK_FALSE(parse_timestamp("2024-13-05"));
    CHECK_FALSE(parse_timestamp("2023-02-29"));
    CHECK_FALSE(parse_timestamp("2024-03-05T25:00"));
    CHECK_FALSE(parse_timestamp("yesterday"));
    CHECK_FALSE(parse_timestamp("2024-03-05T10:00 CET"));
    // format_timestamp reads back.
    CHECK(*parse_timestamp(format_timestamp(z, 5.5)) == doctest::Approx(z).epsilon(1e-12));
    CHECK(format_timestamp(z, -5.0) == "2024-03-05T09:02:11-05:00");
    CHECK(format_timestamp(z, 0.0, false, true) == "2024-03-05T14:02:11.000+0000");
}

TEST_CASE("parse_amount: currency strings") {
    CHECK(*parse_amount("$12,500.00") == 12500.0);
    CHECK(*parse_amount("USD 12,500") == 12500.0);
    CHECK(*parse_amount("12500") == 12500.0);
    CHECK(*parse_amount("  €7.5 ") == 7.5);
    CHECK(*parse_amount("EUR 3.000,00", DecimalMark::comma) == 3000.0);
    CHECK(*parse_amount("3.000,5 €", DecimalMark::comma) == 3000.5);
    CHECK(*parse_amount("12 500,00", DecimalMark::comma) == 12500.0);
    CHECK_FALSE(parse_amount("$12,50.00"));     // a group of two digits
    CHECK_FALSE(parse_amount("-500"));
    CHECK_FALSE(parse_amount("(500)"));
    CHECK_FALSE(parse_amount("12a5"));
    CHECK_FALSE(parse_amount("EUR 3.000,00"));  // with the decimal point, '3.000,00' is not a number
    CHECK_FALSE(parse_amount(""));
}
