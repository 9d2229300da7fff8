// Start-up: what every salesflow process loads. The executable itself must not depend on
// the libraries only `serve` (cpp-httplib, OpenSSL) and MPI runs (Open MPI) use, nor, with
// HDF5's static archive, on libcurl and the ~35 libraries behind it: loading them cost
// each start more than 20 M instructions, most of a one-week run (README, Benchmarks).
#include <doctest/doctest.h>

#include <string>

#include "AppTestSupport.hpp"

using namespace salesflow::test;

TEST_CASE("the salesflow executable loads neither MPI, nor the HTTP server's libraries, nor libcurl") {
    const auto out = scratch("startup") / "ldd.txt";
    REQUIRE(run_shell("ldd '" + std::string(SALESFLOW_EXE) + "' > '" + out.string() + "' 2>&1") == 0);
    const std::string libs = read_file(out);
    REQUIRE(libs.find("libc.so") != std::string::npos);  // ldd did list the libraries
    CHECK(libs.find("libmpi") == std::string::npos);
    CHECK(libs.find("libopen-pal") == std::string::npos);
    CHECK(libs.find("libcpp-httplib") == std::string::npos);
#ifdef SALESFLOW_STATIC_HDF5_USED
    CHECK(libs.find("libhdf5") == std::string::npos);
    CHECK(libs.find("libcurl") == std::string::npos);
    CHECK(libs.find("libssl") == std::string::npos);
    CHECK(libs.find("libcrypto") == std::string::npos);
#endif
}
