#pragma once
// The subcommands of `salesflow`. Each returns the process exit status:
// 0 done, 2 wrong input or arguments (nothing written), 1 anything else.
#include "app/CommandLine.hpp"

namespace salesflow::app {

int run_command(const CommandLine& cl);
int compare_command(const CommandLine& cl);
int validate_command(const CommandLine& cl);
int sweep_command(const CommandLine& cl);
int serve_command(const CommandLine& cl);

}  // namespace salesflow::app
