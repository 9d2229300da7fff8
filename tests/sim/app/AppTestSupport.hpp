#pragma once
// Runs the salesflow executable as a user would and captures what it says.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace salesflow::test {

struct Outcome {
    int status = -1;
    std::string out;  // stdout and stderr together
};

inline Outcome run_salesflow(const std::string& args, const std::filesystem::path& cwd = {}) {
    std::string cmd;
    if (!cwd.empty()) cmd = "cd '" + cwd.string() + "' && ";
    cmd += std::string(SALESFLOW_EXE) + " " + args + " 2>&1";
    Outcome o;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return o;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
    const int st = pclose(p);
    o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return o;
}

inline int run_shell(const std::string& cmd) {
    const int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream f(p, std::ios::binary);
    f << text;
}

// A fresh, empty folder for one test.
inline std::filesystem::path scratch(const std::string& name) {
    auto d = std::filesystem::path(SALESFLOW_BINARY_DIR) / "test-scratch" / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

// Starts salesflow in the background; returns its pid.
inline pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& cwd, const std::string& env = "") {
    std::fflush(nullptr);  // the child must not flush our buffered output a second time
    const pid_t pid = fork();
    if (pid == 0) {
        if (chdir(cwd.c_str()) != 0) _exit(127);
        if (!env.empty()) putenv(const_cast<char*>(env.c_str()));
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(127);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(SALESFLOW_EXE));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(SALESFLOW_EXE, argv.data());
        _exit(127);
    }
    return pid;
}

inline int wait_status(pid_t pid, bool* signalled = nullptr) {
    int st = 0;
    waitpid(pid, &st, 0);
    if (signalled) *signalled = WIFSIGNALED(st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

inline std::string source_path(const std::string& rel) { return std::string(SALESFLOW_SOURCE_DIR) + "/" + rel; }

// A results file as text for comparing two files: every dataset of `group` (its shape and a
// hash of its values, text included) and every attribute whose name is not in `skip`, one
// line each, sorted. Equal texts mean equal files for our purpose; "dump failed" when
// Python cannot read it.
inline std::string h5_dump(const std::filesystem::path& file, const std::string& group,
                           const std::vector<std::string>& skip) {
    const auto out = file.string() + ".dump";
    std::string skip_list;
    for (const auto& k : skip) skip_list += "'" + k + "', ";
    const std::string py =
        "import h5py, hashlib, sys\n"
        "lines = []\n"
        "skip = (" + skip_list + ")\n"
        "def visit(name, obj):\n"
        "    for k, v in obj.attrs.items():\n"
        "        if k not in skip: lines.append(f'{name} @{k} = {v!r}')\n"
        "    if isinstance(obj, h5py.Dataset):\n"
        "        lines.append(f'{name} {obj.shape} ' + hashlib.sha256(repr(obj[()].tolist()).encode()).hexdigest())\n"
        "with h5py.File(sys.argv[1], 'r') as f:\n"
        "    g = f['" + group + "']\n"
        "    visit(g.name, g)\n"
        "    g.visititems(visit)\n"
        "open(sys.argv[2], 'w').write('\\n'.join(sorted(lines)))\n";
    write_file(file.string() + ".py", py);
    if (run_shell(std::string(SALESFLOW_PYTHON) + " " + file.string() + ".py " + file.string() + " " + out) != 0)
        return "dump failed: " + file.string();  // differs between files, so two failures never compare equal
    return read_file(out);
}

}  // namespace salesflow::test
