#include <doctest/doctest.h>

#include "design/Claims.hpp"
