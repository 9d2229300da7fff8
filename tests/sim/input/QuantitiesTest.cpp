// Quantities: durations in hours, rates per hour, strict numbers, suggestions.
#include <doctest/doctest.h>

#include <cmath>

#include "TestSupport.hpp"
#include "input/Quantities.hpp"
#include "input/Range.hpp"
#include "input/TextUtil.hpp"

using namespace salesflow::input;
using namespace salesflow::input::test;

namespace {
std::string duration_error(const std::string& text) {
    try {
        parse_duration(text);
    } catch (const QuantityError& e) {
        return e.what();
    }
    return "(no error)";
}
std::string rate_error(const std::string& text) {
    try {
        parse_rate(text);
    } catch (const QuantityError& e) {
        return e.what();
    }
    return "(no error)";
}
}  // namespace

TEST_CASE("durations are converted to hours") {
    CHECK(parse_duration("90min") == doctest::Approx(1.5));
    CHECK(parse_duration("2.5h") == 2.5);
    CHECK(parse_duration("3d") == 72.0);
    CHECK(parse_duration("6w") == 6.0 * 168.0);
    CHECK(parse_duration("1y") == 8760.0);
    CHECK(parse_duration("12") == 12.0);
    CHECK(parse_duration("0.25") == 0.25);
    CHECK(parse_duration("2 h") == 2.0);
    CHECK(parse_duration(".5d") == 12.0);
    CHECK(parse_duration("1e2h") == 100.0);
    CHECK(parse_duration("0") == 0.0);
    CHECK_FALSE(std::signbit(parse_duration("-0")));
    CHECK(parse_duration("1e-999h") == 0.0);  // underflow is zero, not an error
}

TEST_CASE("bad durations are refused with a reason") {
    CHECK(contains(duration_error("3m"), "ambiguous unit 'm'"));
    CHECK(contains(duration_error("3m"), "'min'"));
    CHECK(contains(duration_error("-3h"), "must not be negative"));
    CHECK(contains(duration_error("-1"), "must not be negative"));
    CHECK(contains(duration_error("1e999"), "too large"));
    CHECK(contains(duration_error("1e308y"), "too large"));
    CHECK(contains(duration_error(".nan"), "finite"));
    CHECK(contains(duration_error(".inf"), "finite"));
    CHECK(contains(duration_error("-.inf"), "finite"));
    CHECK(contains(duration_error(""), "must be a duration"));
    CHECK(contains(duration_error("abc"), "must be a duration"));
    CHECK(contains(duration_error("h"), "must be a duration"));
    CHECK(contains(duration_error("3hours"), "unknown unit 'hours'"));
    CHECK(contains(duration_error("3 s"), "seconds"));
    CHECK(contains(duration_error("1_000h"), "unknown unit"));
    CHECK(contains(duration_error("0x10"), "unknown unit"));
}

TEST_CASE("rates are converted to events per hour") {
    CHECK(parse_rate("30/w") == doctest::Approx(30.0 / 168.0));
    CHECK(parse_rate("24/d") == doctest::Approx(1.0));
    CHECK(parse_rate("2/h") == 2.0);
    CHECK(parse_rate("876/y") == doctest::Approx(0.1));
    CHECK(parse_rate("73/month") == doctest::Approx(0.1));
    CHECK(parse_rate("1/min") == 60.0);
    CHECK(parse_rate("0.5") == 0.5);
    CHECK(parse_rate("30 / w") == doctest::Approx(30.0 / 168.0));
    CHECK(parse_rate("0/w") == 0.0);
}

TEST_CASE("bad rates are refused with a reason") {
    CHECK(contains(rate_error("30w"), "after a '/'"));
    CHECK(contains(rate_error("30w"), "30/w"));
    CHECK(contains(rate_error("3/m"), "ambiguous"));
    CHECK(contains(rate_error("3/fortnight"), "unknown unit 'fortnight'"));
    CHECK(contains(rate_error("-3/w"), "must not be negative"));
    CHECK(contains(rate_error("1e999/w"), "too large"));
    CHECK(contains(rate_error(".inf"), "finite"));
    CHECK(contains(rate_error(""), "must be a rate"));
    CHECK(contains(rate_error("/w"), "must be a rate"));
}

TEST_CASE("numbers follow YAML's decimal grammar only") {
    double v = 0.0;
    CHECK(try_parse_number("12", v));
    CHECK(v == 12.0);
    CHECK(try_parse_number("-3.5e2", v));
    CHECK(v == -350.0);
    CHECK(try_parse_number("+1.", v));
    CHECK(v == 1.0);
    CHECK_FALSE(try_parse_number("1,5", v));
    CHECK_FALSE(try_parse_number("0x1A", v));
    CHECK_FALSE(try_parse_number("true", v));
    CHECK_FALSE(try_parse_number("", v));
    CHECK_FALSE(try_parse_number("1e", v));
    CHECK_THROWS_AS(try_parse_number(".inf", v), QuantityError);
    CHECK_THROWS_AS(try_parse_number("1e999", v), QuantityError);
    CHECK(parse_number("0.1") == 0.1);
    CHECK(format_number(0.1) == "0.1");
    CHECK(format_number(1e300) == "1e+300");
    CHECK(format_number(168) == "168");
}

TEST_CASE("ranges describe themselves for messages") {
    CHECK(Range::at_least(0).str() == ">= 0");
    CHECK(Range::above(0).str() == "> 0");
    CHECK(Range::probability().str() == "in [0, 1]");
    CHECK(Range({0.0, 1.0, true, false}).str() == "in (0, 1]");
    CHECK(Range({0.0, 1.0, true, false}).contains(1.0));
    CHECK_FALSE(Range({0.0, 1.0, true, false}).contains(0.0));
    CHECK_FALSE(Range::any().contains(std::nan("")));
}

TEST_CASE("suggestions come from edit distance over the allowed words") {
    const std::vector<std::string> keys{"name", "headcount", "cost_per_year", "availability"};
    CHECK(edit_distance("hedcount", "headcount") == 1);
    CHECK(edit_distance("haedcount", "headcount") == 1);  // swapped neighbours
    CHECK(nearest("hedcount", keys) == "headcount");
    CHECK(nearest("Headcount", keys) == "headcount");
    CHECK(nearest("availabilty", keys) == "availability");
    CHECK(nearest("xyz", keys).empty());
    CHECK(suggestion("hedcount", keys) == " (did you mean 'headcount'?)");
    CHECK(suggestion("zzz", {"a", "b"}) == " (expected one of: a, b)");
}

TEST_CASE("quoted values are escaped and shortened for messages") {
    CHECK(quote("abc") == "'abc'");
    CHECK(quote("a\nb") == "'a\\nb'");
    CHECK(quote(std::string("a\0b", 3)) == "'a\\x00b'");
    const std::string shown = quote(std::string(200, 'x'));
    CHECK(shown.size() == 1 + 60 + 3 + 1);
}
