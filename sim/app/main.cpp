// salesflow: the command-line layer over the input, model and output libraries.
#include <exception>
#include <iostream>

#include "app/CommandLine.hpp"
#include "app/Commands.hpp"
#include "app/WorkDistribution.hpp"

int main(int argc, char** argv) {
    using namespace salesflow::app;
    MpiSession mpi(argc, argv);
    try {
        const CommandLine cl = parse_command_line(argc, argv);
        if (!cl.text.empty()) {
            std::cout << cl.text;
            return 0;
        }
        if (cl.command == "run") return run_command(cl);
        if (cl.command == "compare") return compare_command(cl);
        if (cl.command == "validate") return validate_command(cl);
        if (cl.command == "sweep") return sweep_command(cl);
        if (cl.command == "serve") return serve_command(cl);
        return 2;
    } catch (const UsageError& e) {
        if (is_root_rank()) std::cerr << "salesflow: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "salesflow: error: " << e.what() << "\n";
        return 1;
    } catch (...) {
        std::cerr << "salesflow: unknown error\n";
        return 1;
    }
}
