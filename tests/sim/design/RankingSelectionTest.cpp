#include <doctest/doctest.h>

#include "design/RankingSelection.hpp"
