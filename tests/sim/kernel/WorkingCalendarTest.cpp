#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kernel/RandomStreams.hpp"
#include "kernel/WorkingCalendar.hpp"

using salesflow::kernel::CalendarSpec;
using salesflow::kernel::Engine;
using salesflow::kernel::make_engine;
using salesflow::kernel::uniform01;
using salesflow::kernel::WorkingCalendar;

namespace {
// Time of day d (0 = Monday) at hour h of week w.
double at(int day, double hour, int week = 0) { return week * 168.0 + day * 24.0 + hour; }

struct Named {
    std::string name;
    CalendarSpec spec;
};
const std::vector<Named>& calendars() {
    static const std::vector<Named> c = {
        {"8x5 from 9:00", CalendarSpec{}},
        {"24/7", CalendarSpec::always()},
        {"10x4 from 7:00", CalendarSpec{10.0, 4, 7.0}},
        {"7.5x6 from 8:30", CalendarSpec{7.5, 6, 8.5}},
        {"24x5", CalendarSpec{24.0, 5, 0.0}},
    };
    return c;
}
}  // namespace

TEST_CASE("WorkingCalendar: default 8 h x 5 d from 9:00") {
    const WorkingCalendar cal{CalendarSpec{}};
    CHECK_FALSE(cal.always());
    CHECK(cal.hours_per_week() == 40.0);

    SUBCASE("working hours over a week = 40, from any starting point") {
        CHECK(cal.working_hours(0.0, 168.0) == 40.0);
        CHECK(cal.working_hours(at(2, 13.5), at(2, 13.5, 1)) == doctest::Approx(40.0).epsilon(1e-12));
        CHECK(cal.working_hours(at(5, 3.0, 7), at(5, 3.0, 8)) == doctest::Approx(40.0).epsilon(1e-12));
        CHECK(cal.working_hours(0.0, at(0, 12.0)) == 3.0);
        CHECK(cal.working_hours(at(4, 16.0), at(0, 10.0, 1)) == 2.0);
        CHECK(cal.working_hours(at(5, 0.0), at(0, 9.0, 1)) == 0.0);  // weekend
        CHECK(cal.working_hours_until(at(0, 0.0, 3)) == 120.0);
    }
    SUBCASE("advance 8 h from Monday 9:00 ends Monday 17:00") {
        CHECK(cal.advance(at(0, 9.0), 8.0) == at(0, 17.0));
    }
    SUBCASE("advance 2 h from Friday 16:00 ends Monday 10:00") {
        CHECK(cal.advance(at(4, 16.0), 2.0) == doctest::Approx(at(0, 10.0, 1)).epsilon(1e-15));
        CHECK(cal.advance(at(4, 16.0, 5), 2.0) == doctest::Approx(at(0, 10.0, 6)).epsilon(1e-15));
    }
    SUBCASE("work started outside working hours starts at the next opening") {
        CHECK(cal.advance(at(0, 6.0), 1.0) == at(0, 10.0));      // before opening
        CHECK(cal.advance(at(1, 20.0), 1.0) == at(2, 10.0));     // evening
        CHECK(cal.advance(at(5, 11.0), 1.0) == at(0, 10.0, 1));  // Saturday
        CHECK(cal.advance(at(6, 23.0), 8.0) == at(0, 17.0, 1));  // Sunday night, a full day
        CHECK(cal.advance(at(0, 17.0), 0.5) == at(1, 9.5));      // exactly at closing
    }
    SUBCASE("multi-day and multi-week work") {
        CHECK(cal.advance(at(0, 9.0), 40.0) == at(4, 17.0));      // a full week ends Friday 17:00
        CHECK(cal.advance(at(0, 9.0), 41.0) == at(0, 10.0, 1));
        CHECK(cal.advance(at(2, 12.0), 16.0) == at(4, 12.0));
        CHECK(cal.advance(at(0, 9.0), 400.0) == doctest::Approx(at(4, 17.0, 9)).epsilon(1e-15));
    }
    SUBCASE("zero work is done at once, even outside hours") {
        CHECK(cal.advance(at(5, 11.0), 0.0) == at(5, 11.0));
        CHECK(cal.advance(at(0, 10.0), 0.0) == at(0, 10.0));
    }
    SUBCASE("is_working: the window [9, 17) of Monday to Friday") {
        CHECK(cal.is_working(at(0, 9.0)));
        CHECK(cal.is_working(at(0, 16.999)));
        CHECK_FALSE(cal.is_working(at(0, 17.0)));
        CHECK_FALSE(cal.is_working(at(0, 8.999)));
        CHECK(cal.is_working(at(4, 12.0, 3)));
        CHECK_FALSE(cal.is_working(at(5, 12.0)));
        CHECK_FALSE(cal.is_working(at(6, 12.0, 2)));
        CHECK_FALSE(cal.is_working(0.0));
    }
}

TEST_CASE("WorkingCalendar: 24/7 and 10 h x 4 d from 7:00") {
    SUBCASE("24/7 is plain time") {
        const WorkingCalendar cal{CalendarSpec::always()};
        const WorkingCalendar dflt;  // default-constructed is 24/7 too
        CHECK(cal.always());
        CHECK(dflt.always());
        CHECK(cal.hours_per_week() == 168.0);
        CHECK(cal.working_hours(3.0, 171.0) == 168.0);
        CHECK(cal.advance(at(5, 23.0), 2.5) == at(6, 1.5));
        CHECK(cal.is_working(at(6, 3.0)));
        CHECK(dflt.advance(1.0, 2.0) == 3.0);
    }
    SUBCASE("10 h x 4 d from 7:00") {
        const WorkingCalendar cal{CalendarSpec{10.0, 4, 7.0}};
        CHECK(cal.hours_per_week() == 40.0);
        CHECK(cal.working_hours(0.0, 168.0) == 40.0);
        CHECK(cal.advance(at(0, 7.0), 10.0) == at(0, 17.0));
        CHECK(cal.advance(at(3, 16.0), 2.0) == at(0, 8.0, 1));  // Thursday is the last day
        CHECK(cal.advance(at(4, 9.0), 1.0) == at(0, 8.0, 1));   // Friday is off
        CHECK(cal.is_working(at(3, 16.5)));
        CHECK_FALSE(cal.is_working(at(4, 10.0)));
        CHECK_FALSE(cal.is_working(at(0, 6.5)));
    }
}

TEST_CASE("WorkingCalendar: round trips, monotonicity and invariants on random points") {
    for (const auto& [name, spec] : calendars()) {
        CAPTURE(name);
        const WorkingCalendar cal{spec};
        Engine e = make_engine(41, 0, "test/calendar/" + name);
        int bad_trip = 0, bad_mono_t = 0, bad_mono_w = 0, bad_end = 0, bad_week = 0;
        for (int i = 0; i < 20000; ++i) {
            const double t = uniform01(e) * 5000.0;
            const double w = 0.01 + uniform01(e) * 200.0;
            const double end = cal.advance(t, w);
            // working_hours(t, advance(t, w)) == w
            if (std::abs(cal.working_hours(t, end) - w) > 1e-9 * w + 1e-10) ++bad_trip;
            // monotone in t and in w
            const double t2 = t + uniform01(e) * 30.0;
            if (cal.advance(t2, w) < end) ++bad_mono_t;
            if (cal.advance(t, w + uniform01(e) * 5.0) < end) ++bad_mono_w;
            // the work ends inside a working window (just before `end` people are working)
            if (end < t || !cal.is_working(end - 1e-6)) ++bad_end;
            // a week of calendar time always holds hours_per_week working hours
            if (std::abs(cal.working_hours(t, t + 168.0) - cal.hours_per_week()) > 1e-9) ++bad_week;
        }
        CHECK(bad_trip == 0);
        CHECK(bad_mono_t == 0);
        CHECK(bad_mono_w == 0);
        CHECK(bad_end == 0);
        CHECK(bad_week == 0);
    }
}

TEST_CASE("WorkingCalendar: working hours accrue exactly while is_working") {
    // Numerical check that W' = 1 exactly when is_working, else 0: step through 4 weeks.
    for (const auto& [name, spec] : calendars()) {
        CAPTURE(name);
        const WorkingCalendar cal{spec};
        const double dt = 0.125;  // divides every window edge used above
        int bad = 0;
        for (double t = 0.0; t < 4 * 168.0; t += dt) {
            const double dw = cal.working_hours(t, t + dt);
            const double expect = cal.is_working(t) ? dt : 0.0;
            if (std::abs(dw - expect) > 1e-12) ++bad;
        }
        CHECK(bad == 0);
    }
}

TEST_CASE("WorkingCalendar: next_start_after gives the next window's start") {
    const WorkingCalendar c(CalendarSpec{8.0, 5, 9.0});  // Mon-Fri 9:00-17:00
    CHECK(c.next_start_after(at(0, 3.0)) == at(0, 9.0));          // Monday night: Monday 9:00
    CHECK(c.next_start_after(at(0, 9.0)) == at(1, 9.0));          // at a start: the next one
    CHECK(c.next_start_after(at(0, 12.0)) == at(1, 9.0));         // during work: tomorrow
    CHECK(c.next_start_after(at(4, 18.0)) == at(0, 9.0, 1));      // Friday evening: next Monday
    CHECK(c.next_start_after(at(5, 10.0)) == at(0, 9.0, 1));      // Saturday: next Monday
    CHECK(c.next_start_after(at(6, 23.0, 3)) == at(0, 9.0, 4));   // Sunday of week 3
    CHECK(std::isinf(WorkingCalendar(CalendarSpec::always()).next_start_after(5.0)));
    // Consistency with is_working: just before a start it is off, at it it is on.
    for (double t = 0.0; t < 3 * 168.0; t += 0.7) {
        const double s = c.next_start_after(t);
        CHECK(s > t);
        CHECK(c.is_working(s));
        CHECK_FALSE(c.is_working(s - 1e-6));
    }
}

TEST_CASE("WorkingCalendar: a calendar that remembers its last day answers bit for bit as a fresh one") {
    // is_working and working_hours_until reuse the terms of the day of their last slow
    // call; a fresh calendar for every question always takes the slow path. Times at and
    // around the day's edges (midnight, the window's start and end, one ulp either side)
    // and random ones, asked in an order that stays in a day and hops between days.
    for (const auto& [name, spec] : calendars()) {
        CAPTURE(name);
        const WorkingCalendar warm{spec};
        Engine e = make_engine(43, 0, "test/calendar-cache/" + name);
        std::vector<double> ts;
        for (int week : {0, 1, 7, 59, 5000})
            for (int day = 0; day < 7; ++day)
                for (double h : {0.0, spec.day_start_h, spec.day_start_h + spec.hours_per_day, 12.0, 23.999999}) {
                    const double t = at(day, h, week);
                    ts.push_back(t);
                    ts.push_back(std::nextafter(t, 0.0));
                    ts.push_back(std::nextafter(t, 1e300));
                    ts.push_back(t + 1e-7);
                    ts.push_back(t - 1e-7);
                }
        for (int i = 0; i < 20000; ++i) {
            const double base = std::floor(uniform01(e) * 3000.0);
            ts.push_back(base + uniform01(e) * 2.0);  // several questions in the same hours
            ts.push_back(base + uniform01(e) * 2.0);
            ts.push_back(uniform01(e) * 1e6);
        }
        int differ_w = 0, differ_on = 0;
        for (const double t : ts) {
            const WorkingCalendar cold{spec};
            const double a = warm.working_hours_until(t), b = cold.working_hours_until(t);
            if (!(a == b && std::signbit(a) == std::signbit(b))) ++differ_w;
            if (warm.is_working(t) != WorkingCalendar{spec}.is_working(t)) ++differ_on;
        }
        CHECK(ts.size() > 60000);
        CHECK(differ_w == 0);
        CHECK(differ_on == 0);
    }
}
