#include "design/InverseCdf.hpp"

// Stub: the implementation follows in the next commit.
