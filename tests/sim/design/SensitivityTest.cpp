#include <doctest/doctest.h>

#include "design/Sensitivity.hpp"
