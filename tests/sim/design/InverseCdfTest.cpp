#include <doctest/doctest.h>

#include "design/InverseCdf.hpp"
