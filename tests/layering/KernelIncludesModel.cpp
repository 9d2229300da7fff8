// Compiled with the kernel target's include paths only, this must fail: the kernel knows
// nothing of the sales model (tests/layering/CMakeLists.txt).
#include "kernel/EventCalendar.hpp"
#include "models/ScenarioConfig.hpp"
