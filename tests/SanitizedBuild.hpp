#pragma once
// Whether this test binary was built under AddressSanitizer + UBSan (its CMake target
// defines SALESFLOW_SANITIZED): tests run fewer items there, where everything is slower.

namespace salesflow::test {

inline bool sanitized() {
#ifdef SALESFLOW_SANITIZED
    return true;
#else
    return false;
#endif
}

}  // namespace salesflow::test
