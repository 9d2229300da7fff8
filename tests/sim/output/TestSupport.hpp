#pragma once
// Helpers for the output tests: scratch folders, running python, and reading HDF5 files
// through the C API directly, independently of the code under test.
#include <hdf5.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace salesflow::output::test {

namespace fs = std::filesystem;

// A fresh folder, removed with everything in it at the end of the test.
class ScratchDir {
public:
    ScratchDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() /
                ("salesflow-output-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

inline std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

// Names in `dir` that look like our temporary files.
inline std::vector<std::string> temp_files_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n.find(".tmp-") != std::string::npos) out.push_back(n);
    }
    return out;
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr
};

inline CommandResult run_command(const std::string& cmd) {
    CommandResult r;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

inline std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

inline bool python_ready() { return fs::exists(SALESFLOW_PYTHON); }
inline fs::path checker() { return fs::path(SALESFLOW_SHARED_DIR) / "tools" / "check_results_core.py"; }

// ---------------------------------------------------------------------------------
// Raw HDF5 access

class Raw {
public:
    Raw(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {
        if (id_ < 0) throw std::runtime_error("raw HDF5 call failed");
    }
    ~Raw() {
        if (id_ >= 0) close_(id_);
    }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    operator hid_t() const { return id_; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

inline Raw open_raw(const fs::path& p) { return Raw(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose); }

inline bool raw_exists(hid_t file, const std::string& path) {
    std::string prefix;
    std::size_t i = 1;
    while (i <= path.size()) {
        std::size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        prefix = path.substr(0, j);
        if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        i = j + 1;
    }
    return true;
}

inline std::vector<std::string> raw_strings(hid_t attr_or_dset, bool is_attr) {
    Raw type(is_attr ? H5Aget_type(attr_or_dset) : H5Dget_type(attr_or_dset), H5Tclose);
    Raw space(is_attr ? H5Aget_space(attr_or_dset) : H5Dget_space(attr_or_dset), H5Sclose);
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::vector<std::string> out;
    if (H5Tis_variable_str(type) > 0) {
        Raw mem(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(mem, H5T_VARIABLE);
        H5Tset_cset(mem, H5Tget_cset(type));
        std::vector<char*> cells(n, nullptr);
        if (n > 0 && (is_attr ? H5Aread(attr_or_dset, mem, cells.data())
                              : H5Dread(attr_or_dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, cells.data())) < 0)
            throw std::runtime_error("raw string read failed");
        for (char* c : cells) {
            out.emplace_back(c ? c : "");
            H5free_memory(c);
        }
    } else {
        throw std::runtime_error("raw_strings expects variable-length strings");
    }
    return out;
}

inline std::string raw_string_attr(hid_t file, const std::string& path, const std::string& name) {
    Raw a(H5Aopen_by_name(file, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    auto v = raw_strings(a, true);
    if (v.size() != 1) throw std::runtime_error("not a scalar string");
    return v[0];
}

inline std::vector<std::string> raw_string_array_attr(hid_t file, const std::string& path, const std::string& name) {
    Raw a(H5Aopen_by_name(file, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    return raw_strings(a, true);
}

// The class and size of an attribute's stored type, to check it is e.g. a 64-bit integer.
inline std::pair<H5T_class_t, std::size_t> raw_attr_type(hid_t file, const std::string& path,
                                                         const std::string& name) {
    Raw a(H5Aopen_by_name(file, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    Raw t(H5Aget_type(a), H5Tclose);
    return {H5Tget_class(t), H5Tget_size(t)};
}

template <class T>
T raw_number_attr(hid_t file, const std::string& path, const std::string& name, hid_t native) {
    Raw a(H5Aopen_by_name(file, path.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    T v{};
    if (H5Aread(a, native, &v) < 0) throw std::runtime_error("raw attribute read failed");
    return v;
}

inline std::size_t raw_rows(hid_t file, const std::string& dset) {
    Raw d(H5Dopen2(file, dset.c_str(), H5P_DEFAULT), H5Dclose);
    Raw s(H5Dget_space(d), H5Sclose);
    hsize_t dims[1] = {0};
    H5Sget_simple_extent_dims(s, dims, nullptr);
    return dims[0];
}

inline std::vector<std::string> raw_field_names(hid_t file, const std::string& dset) {
    Raw d(H5Dopen2(file, dset.c_str(), H5P_DEFAULT), H5Dclose);
    Raw t(H5Dget_type(d), H5Tclose);
    std::vector<std::string> out;
    const int n = H5Tget_nmembers(t);
    for (int i = 0; i < n; ++i) {
        char* name = H5Tget_member_name(t, static_cast<unsigned>(i));
        out.emplace_back(name);
        H5free_memory(name);
    }
    return out;
}

// One column, read with a one-member memory compound type (HDF5 matches by name).
template <class T>
std::vector<T> raw_column(hid_t file, const std::string& dset, const std::string& column, hid_t native) {
    Raw d(H5Dopen2(file, dset.c_str(), H5P_DEFAULT), H5Dclose);
    Raw s(H5Dget_space(d), H5Sclose);
    std::vector<T> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s)));
    Raw mem(H5Tcreate(H5T_COMPOUND, sizeof(T)), H5Tclose);
    H5Tinsert(mem, column.c_str(), 0, native);
    if (!out.empty() && H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        throw std::runtime_error("raw column read failed: " + column);
    return out;
}

// A text column, fixed-width (stripped at the first NUL) or variable-length.
inline std::vector<std::string> raw_text_column(hid_t file, const std::string& dset, const std::string& column) {
    Raw d(H5Dopen2(file, dset.c_str(), H5P_DEFAULT), H5Dclose);
    Raw s(H5Dget_space(d), H5Sclose);
    Raw ft(H5Dget_type(d), H5Tclose);
    Raw member(H5Tget_member_type(ft, static_cast<unsigned>(H5Tget_member_index(ft, column.c_str()))), H5Tclose);
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(s));
    std::vector<std::string> out;
    Raw str(H5Tcopy(member), H5Tclose);
    const bool var = H5Tis_variable_str(member) > 0;
    const std::size_t cell = var ? sizeof(char*) : H5Tget_size(member);
    Raw mem(H5Tcreate(H5T_COMPOUND, cell), H5Tclose);
    H5Tinsert(mem, column.c_str(), 0, str);
    std::vector<char> buf(n * cell);
    if (n > 0 && H5Dread(d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
        throw std::runtime_error("raw text read failed: " + column);
    for (std::size_t i = 0; i < n; ++i) {
        if (var) {
            char* p;
            std::memcpy(&p, buf.data() + i * cell, sizeof p);
            out.emplace_back(p ? p : "");
            H5free_memory(p);
        } else {
            const char* p = buf.data() + i * cell;
            out.emplace_back(p, strnlen(p, cell));
        }
    }
    return out;
}

struct RawLayout {
    bool chunked = false;
    bool deflate = false;
    bool unlimited = false;
    bool compound = false;
    std::uint64_t chunk_rows = 0;
};

inline RawLayout raw_layout(hid_t file, const std::string& dset) {
    RawLayout r;
    Raw d(H5Dopen2(file, dset.c_str(), H5P_DEFAULT), H5Dclose);
    Raw dcpl(H5Dget_create_plist(d), H5Pclose);
    r.chunked = H5Pget_layout(dcpl) == H5D_CHUNKED;
    if (r.chunked) {
        hsize_t chunk[1] = {0};
        if (H5Pget_chunk(dcpl, 1, chunk) == 1) r.chunk_rows = chunk[0];
    }
    for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
        unsigned flags = 0;
        std::size_t nelem = 0;
        unsigned filter_config = 0;
        if (H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &nelem, nullptr, 0, nullptr, &filter_config) ==
            H5Z_FILTER_DEFLATE)
            r.deflate = true;
    }
    Raw s(H5Dget_space(d), H5Sclose);
    hsize_t dims[1], maxdims[1];
    r.unlimited = H5Sget_simple_extent_ndims(s) == 1 && H5Sget_simple_extent_dims(s, dims, maxdims) == 1 &&
                  maxdims[0] == H5S_UNLIMITED;
    Raw t(H5Dget_type(d), H5Tclose);
    r.compound = H5Tget_class(t) == H5T_COMPOUND;
    return r;
}

}  // namespace salesflow::output::test
