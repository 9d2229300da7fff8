#include "design/LatinHypercube.hpp"

// Stub: the implementation follows in the next commit.
