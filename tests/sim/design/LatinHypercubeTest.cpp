#include <doctest/doctest.h>

#include "design/LatinHypercube.hpp"
