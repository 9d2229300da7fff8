#include "design/Sensitivity.hpp"

// Stub: the implementation follows in the next commit.
