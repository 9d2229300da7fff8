// `salesflow serve` as a user starts it: the URL it prints, SIGINT and SIGTERM stop it
// with exit 0, a port in use is exit 1 with a clear message, bad arguments exit 2.
#include <doctest/doctest.h>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <regex>
#include <thread>

#include <httplib.h>

#include "ServeTestSupport.hpp"

using namespace salesflow::test;

namespace {

// A child `salesflow serve ARGS...` with stdout and stderr into one pipe.
struct Child {
    pid_t pid = -1;
    int fd = -1;
    std::string out;
    explicit Child(std::vector<std::string> args) {
        int p[2];
        REQUIRE(pipe(p) == 0);
        pid = fork();
        if (pid == 0) {
            dup2(p[1], 1);
            dup2(p[1], 2);
            close(p[0]);
            std::vector<char*> argv{const_cast<char*>(SALESFLOW_EXE), const_cast<char*>("serve")};
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            if (chdir(SALESFLOW_SOURCE_DIR) != 0) _exit(127);
            execv(SALESFLOW_EXE, argv.data());
            _exit(127);
        }
        close(p[1]);
        fd = p[0];
    }
    // Reads until `pattern` appears in the output or the child closes it.
    std::smatch wait_for(const std::regex& pattern) {
        std::smatch m;
        std::array<char, 4096> buf{};
        while (!std::regex_search(out, m, pattern)) {
            const ssize_t n = read(fd, buf.data(), buf.size());
            if (n <= 0) break;
            out.append(buf.data(), static_cast<std::size_t>(n));
        }
        std::regex_search(out, m, pattern);
        return m;
    }
    int wait_exit() {
        std::array<char, 4096> buf{};
        ssize_t n;
        while ((n = read(fd, buf.data(), buf.size())) > 0) out.append(buf.data(), static_cast<std::size_t>(n));
        int st = 0;
        waitpid(pid, &st, 0);
        pid = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    ~Child() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        if (fd >= 0) close(fd);
    }
};

const std::regex url_line(R"(the board is at http://127\.0\.0\.1:(\d+)/)");

}  // namespace

TEST_CASE("SIGTERM and SIGINT stop the server cleanly with exit 0, also during a request") {
    for (int sig : {SIGTERM, SIGINT}) {
        CAPTURE(sig);
        Child c({"--port", "0"});
        const auto m = c.wait_for(url_line);
        REQUIRE(m.size() == 2);
        const int port = std::stoi(m[1]);
        httplib::Client http("127.0.0.1", port);
        const auto r = http.Get("/api/scenarios");
        REQUIRE(r);
        CHECK(r->status == 200);
        // A slow run in flight when the signal comes: the server still stops at once.
        std::thread slow([port] {
            httplib::Client h("127.0.0.1", port);
            h.set_read_timeout(30, 0);
            h.Post("/api/run", run_request("01-kingman.yaml", {"sources.inbound.arrivals=2000/w", "roles.ae.headcount=300"}),
                   "application/json");
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        kill(c.pid, sig);
        CHECK(c.wait_exit() == 0);
        slow.join();
        CHECK(c.out.find("salesflow serve: stopping (signal " + std::to_string(sig) + ")") != std::string::npos);
    }
}

TEST_CASE("a port in use: a clear message and exit 1; a bad port value: exit 2") {
    Child first({"--port", "0"});
    const auto m = first.wait_for(url_line);
    REQUIRE(m.size() == 2);
    const std::string port = m[1];
    Child second({"--port", port});
    CHECK(second.wait_exit() == 1);
    CHECK(second.out == "salesflow serve: cannot listen on 127.0.0.1:" + port +
                            ": the port is in use (another server? choose another --port)\n");
    for (const std::string bad : {"70000", "-1", "abc", "80x", ""}) {
        CAPTURE(bad);
        Child c({"--port", bad});
        CHECK(c.wait_exit() == 2);
        CHECK(c.out == "salesflow: --port: must be an integer from 0 to 65535, got '" + bad + "'\n");
    }
    kill(first.pid, SIGTERM);
    CHECK(first.wait_exit() == 0);
}

TEST_CASE("wrong arguments, a missing folder, broken presets: exit 2") {
    {
        Child c({"/nonexistent/folder"});
        CHECK(c.wait_exit() == 2);
        CHECK(c.out == "salesflow: serve: '/nonexistent/folder' is not a folder\n");
    }
    {
        Child c({"--nope"});
        CHECK(c.wait_exit() == 2);
        CHECK(c.out == "salesflow: serve: unknown option '--nope' (see salesflow serve --help)\n");
    }
    {
        Child c({"scenarios", "scenarios/workshop"});
        CHECK(c.wait_exit() == 2);
    }
    {
        TempDir d;
        d.write("board/presets.yaml", "presets:\n  - id: x\n");
        Child c({d.path.string()});
        CHECK(c.wait_exit() == 2);
        INFO(c.out);
        CHECK(c.out.find((d.path / "board/presets.yaml").string() + ":2:5: presets[1].title: required key 'title' is missing") !=
              std::string::npos);
    }
    {
        Child c({"--help"});
        CHECK(c.wait_exit() == 0);
        CHECK(c.out.rfind("salesflow serve [FOLDER] [--port 8080] [--host 127.0.0.1]", 0) == 0);
    }
}
