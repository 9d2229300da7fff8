#pragma once
// The subcommands of `salesflow`. Each returns the process exit status:
// 0 done, 2 wrong input or arguments (nothing written), 1 anything else. They take plain
// Settings (app/Settings.hpp), not the command line.
#include "app/CommandLine.hpp"
#include "app/Settings.hpp"

namespace salesflow::app {

int run_command(const Settings& s);
int compare_command(const Settings& s);
int validate_command(const Settings& s);
int sweep_command(const Settings& s);
int explain_command(const Settings& s);         // ExplainCommand.cpp
int study_command(const Settings& s);           // StudyCommand.cpp
int calibrate_command(const CommandLine& cl);   // CalibrateCommand.cpp
int crm_export_command(const CommandLine& cl);
int serve_command(const CommandLine& cl);       // ServeCommand.cpp

}  // namespace salesflow::app
