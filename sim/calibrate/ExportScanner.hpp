#pragma once
// ExportScanner: one streaming pass over a CRM export read through a Mapping, keeping
// per-deal state only for deals still open (and for closed deals during the reopen
// window), so that memory is bounded by the open pipeline, not by the file. Problems are
// collected as `FILE:LINE:COLUMN: COLUMN-NAME: reason, got 'VALUE'` and thrown together as
// input::InputError (the command exits 2 and writes nothing).
#include <string>

#include "calibrate/ExportData.hpp"
#include "calibrate/Mapping.hpp"

namespace salesflow::calibrate {

// Scans `path`. Throws input::InputError listing the problems (at most 100, then stops).
ExportData scan_export(const std::string& path, Mapping mapping);

}  // namespace salesflow::calibrate
