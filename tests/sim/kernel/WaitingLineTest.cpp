#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <vector>

#include "kernel/RandomStreams.hpp"
#include "kernel/WaitingLine.hpp"

using salesflow::kernel::Engine;
using salesflow::kernel::make_engine;
using salesflow::kernel::uniform01;
using salesflow::kernel::WaitingLine;

TEST_CASE("WaitingLine: FIFO among equal keys") {
    WaitingLine<int> line;
    CHECK(line.empty());
    for (int i = 0; i < 1000; ++i) line.push(0.0, i);
    CHECK(line.size() == 1000);
    for (int i = 0; i < 1000; ++i) {
        CHECK(line.front().payload == i);
        if (line.pop() != i) FAIL("FIFO broken at " << i);
    }
    CHECK(line.empty());
}

TEST_CASE("WaitingLine: smaller key first, then arrival order") {
    WaitingLine<char> line;
    line.push(2.0, 'a');
    line.push(1.0, 'b');
    line.push(2.0, 'c');
    line.push(-1.0, 'd');  // key = -priority: a priority-1 customer
    line.push(1.0, 'e');
    std::vector<char> out;
    while (!line.empty()) out.push_back(line.pop());
    CHECK(out == std::vector<char>{'d', 'b', 'e', 'a', 'c'});
}

TEST_CASE("WaitingLine: clear restarts the sequence") {
    WaitingLine<int> line;
    line.push(0.0, 1);
    line.push(0.0, 2);
    line.clear();
    CHECK(line.empty());
    line.push(0.0, 3);
    line.push(0.0, 4);
    CHECK(line.pop() == 3);
    CHECK(line.pop() == 4);
}

TEST_CASE("WaitingLine: 1e5 random pushes and pops against std::multimap") {
    WaitingLine<std::uint32_t> line;
    std::multimap<double, std::uint32_t> ref;  // equal keys keep insertion order
    Engine e = make_engine(51, 0, "test/waitingline");
    std::uint32_t next = 0;
    int mismatches = 0;
    std::size_t max_size = 0;
    for (int op = 0; op < 100000; ++op) {
        if (ref.empty() || uniform01(e) < 0.52) {
            const double key = static_cast<double>(static_cast<int>(uniform01(e) * 5.0));  // many ties
            line.push(key, next);
            ref.emplace(key, next);
            ++next;
        } else {
            const auto it = ref.begin();
            if (line.front().key != it->first || line.front().payload != it->second) ++mismatches;
            if (line.pop() != it->second) ++mismatches;
            ref.erase(it);
        }
        if (line.size() != ref.size()) ++mismatches;
        max_size = std::max(max_size, ref.size());
    }
    while (!ref.empty()) {
        if (line.pop() != ref.begin()->second) ++mismatches;
        ref.erase(ref.begin());
    }
    CHECK(mismatches == 0);
    CHECK(line.empty());
    CHECK(max_size > 100);  // the line really grew: the heap was exercised at depth
}

TEST_CASE("WaitingLine: FIFO fast path, switch to heap order and back, compaction") {
    salesflow::kernel::WaitingLine<int> line;
    // Equal keys: served in arrival order, through many compactions of the served prefix.
    for (int i = 0; i < 1000; ++i) line.push(0.0, i);
    for (int i = 0; i < 600; ++i) CHECK(line.pop() == i);
    for (int i = 1000; i < 1200; ++i) line.push(0.0, i);
    CHECK(line.size() == 600);
    // A smaller key jumps the queue; equal keys keep arrival order among themselves.
    line.push(-1.0, -1);
    line.push(-1.0, -2);
    line.push(5.0, 5000);
    CHECK(line.pop() == -1);
    CHECK(line.pop() == -2);
    for (int i = 600; i < 1200; ++i) CHECK(line.pop() == i);
    CHECK(line.pop() == 5000);
    CHECK(line.empty());
    // Empty again: FIFO order for a fresh run of equal keys with another value.
    for (int i = 0; i < 10; ++i) line.push(3.0, i);
    for (int i = 0; i < 10; ++i) CHECK(line.pop() == i);
    CHECK(line.empty());
}
