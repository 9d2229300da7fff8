#include "kernel/TimeWeighted.hpp"
// TimeWeighted is header-only: set() runs on every state change, so it must inline.
