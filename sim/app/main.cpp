// salesflow: the command-line layer over the input, model and output libraries.
#include <csignal>
#include <exception>
#include <iostream>
#include <new>

#include "app/CommandLine.hpp"
#include "app/Commands.hpp"
#include "app/WorkDistribution.hpp"
#include "output/OutputLock.hpp"
#include "output/OutputTarget.hpp"

int main(int argc, char** argv) {
    using namespace salesflow::app;
    // Past a file-size limit (RLIMIT_FSIZE) a write fails with EFBIG instead of killing
    // the process: the error reaches the code that wrote, which cleans up and says so.
    std::signal(SIGXFSZ, SIG_IGN);
    MpiSession mpi(argc, argv);
    try {
        const CommandLine cl = parse_command_line(argc, argv);
        if (!cl.text.empty()) {
            std::cout << cl.text;
            return 0;
        }
        if (cl.command == "run") return run_command(settings_from(cl));
        if (cl.command == "compare") return compare_command(settings_from(cl));
        if (cl.command == "validate") return validate_command(settings_from(cl));
        if (cl.command == "sweep") return sweep_command(settings_from(cl));
        if (cl.command == "explain") return explain_command(settings_from(cl));
        if (cl.command == "study") return study_command(settings_from(cl));
        if (cl.command == "calibrate") return calibrate_command(cl);
        if (cl.command == "crm-export") return crm_export_command(cl);
        if (cl.command == "serve") return serve_command(cl);
        return 2;
    } catch (const UsageError& e) {
        if (is_root_rank()) std::cerr << "salesflow: " << e.what() << "\n";
        return 2;
    } catch (const salesflow::output::OutputPathError& e) {
        // An unusable -o (a folder, a device, an input of the command...): nothing written.
        std::cerr << "salesflow: " << e.what() << "\n";
        stop_workers();
        return 2;
    } catch (const salesflow::output::OutputBusyError& e) {
        std::cerr << "salesflow: " << e.what() << "\n";
        stop_workers();
        return 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "salesflow: error: out of memory (use fewer --threads or replications, or a shorter horizon)\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "salesflow: error: " << e.what() << "\n";
        return 1;
    } catch (...) {
        std::cerr << "salesflow: unknown error\n";
        return 1;
    }
}
