// The positive control of the layering test: a kernel header compiles with the kernel
// target's include paths alone.
#include "kernel/EventCalendar.hpp"
#include "kernel/WorkingCalendar.hpp"
