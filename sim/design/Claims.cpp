#include "design/Claims.hpp"

// Stub: the implementation follows in the next commit.
