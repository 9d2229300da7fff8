#include "design/RankingSelection.hpp"

// Stub: the implementation follows in the next commit.
