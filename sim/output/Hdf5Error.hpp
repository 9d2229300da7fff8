#pragma once
// Hdf5Error: a failed HDF5 library call, as an exception. It models the library's error
// stack as one message: what we were doing, plus HDF5's own innermost description.
// This header does not include hdf5.h (HDF5 is private to salesflow::output).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace salesflow::output {

class Hdf5Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;

    // Throws Hdf5Error("HDF5: <what>: <library message>") and clears the error stack.
    [[noreturn]] static void raise(std::string_view what);

    // HDF5 signals failure by a negative id, status or count: returns `result` or raises.
    template <class T>
    static T check(T result, std::string_view what) {
        if (result < 0) raise(what);
        return result;
    }

    // Turns off HDF5's automatic printing of error stacks to stderr (once per process):
    // errors reach the caller as exceptions instead.
    static void quiet_library();
};

}  // namespace salesflow::output
