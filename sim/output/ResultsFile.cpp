#include "output/ResultsFile.hpp"

#include "output/Hdf5Error.hpp"
#include "output/Hdf5Types.hpp"

#include <hdf5.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <stdexcept>
#include <system_error>

namespace salesflow::output {
namespace fs = std::filesystem;
namespace {

std::string iso8601_utc_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Splits an HDF5 path into its non-empty components ("/runs//a/" -> runs, a).
std::vector<std::string> components(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        const std::size_t j = std::min(path.find('/', i), path.size());
        if (j > i) out.emplace_back(path.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::string parent_of(std::string_view path) {
    auto parts = components(path);
    std::string p = "/";
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) p += parts[i] + "/";
    return p;
}

// Groups and the root record the order their members were created in, so that
// readers list /runs in the order the scenarios were run (compare: the first is the
// baseline) instead of alphabetically.
Hdf5Handle ordered_group_properties(hid_t cls) {
    auto p = Hdf5Handle::checked(H5Pcreate(cls), "creating group properties");
    Hdf5Error::check(H5Pset_link_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
                     "tracking creation order");
    return p;
}

// Closing the file closes every object still open in it ("strong" close): commit()
// must release the file completely before renaming it, even if a Table or a recorder
// still holds a dataset; their handles then notice the id is gone and do nothing.
Hdf5Handle file_access_properties() {
    auto p = Hdf5Handle::checked(H5Pcreate(H5P_FILE_ACCESS), "creating file access properties");
    Hdf5Error::check(H5Pset_fclose_degree(p.get(), H5F_CLOSE_STRONG), "setting the close degree");
    // The earliest format that holds each object: what every reader takes, and what
    // h5py can copy (HDF5 1.10's H5Ocopy crashes copying groups of a file written with
    // a 1.8 lower bound). A very wide table switches the file to the 1.8 format before
    // it is created (Table::create).
    Hdf5Error::check(H5Pset_libver_bounds(p.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18), "setting the format bounds");
    return p;
}

Hdf5Handle utf8_names() {
    auto p = Hdf5Handle::checked(H5Pcreate(H5P_LINK_CREATE), "creating link properties");
    Hdf5Error::check(H5Pset_char_encoding(p.get(), H5T_CSET_UTF8), "setting UTF-8 names");
    return p;
}

void sync_path(const fs::path& p, bool directory) {
    // rename() is atomic, but without fsync a crash shortly after could leave the new
    // name pointing at a file whose data never reached the disk.
    const int fd = ::open(p.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (fd < 0) {
        if (directory) return;  // best effort for the folder entry
        throw std::system_error(errno, std::generic_category(), "opening " + p.string() + " to sync it");
    }
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && !directory) throw std::system_error(err, std::generic_category(), "syncing " + p.string());
}

void write_attribute(hid_t object, std::string_view name, hid_t file_type, hid_t memory_type, hid_t space,
                     const void* buf) {
    const std::string n(name);
    const htri_t present = Hdf5Error::check(H5Aexists(object, n.c_str()), "looking up attribute '" + n + "'");
    if (present > 0) Hdf5Error::check(H5Adelete(object, n.c_str()), "replacing attribute '" + n + "'");
    auto acpl = Hdf5Handle::checked(H5Pcreate(H5P_ATTRIBUTE_CREATE), "creating attribute properties");
    Hdf5Error::check(H5Pset_char_encoding(acpl.get(), H5T_CSET_UTF8), "setting UTF-8 names");
    auto attr = Hdf5Handle::checked(H5Acreate2(object, n.c_str(), file_type, space, acpl.get(), H5P_DEFAULT),
                                    "creating attribute '" + n + "'");
    Hdf5Error::check(H5Awrite(attr.get(), memory_type, buf), "writing attribute '" + n + "'");
    attr.close();
}

Hdf5Handle scalar_space() { return Hdf5Handle::checked(H5Screate(H5S_SCALAR), "creating a scalar dataspace"); }

}  // namespace

// ---------------------------------------------------------------------------------
// Life cycle

fs::path ResultsFile::make_temp_path(const fs::path& target) {
    // Same folder as the target: rename() is only atomic within one file system. The
    // leading dot hides the file from casual listings and globs like results/*.h5.
    // The name is bounded to NAME_MAX (long targets are shortened with a hash), and its
    // form .NAME.tmp-PID-HEX8 is what OutputLock::remove_stale_temporaries looks for.
    std::random_device rd;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "%08x", rd());
    return hidden_sibling(target, ".tmp-" + std::to_string(::getpid()) + "-" + suffix);
}

std::shared_ptr<OutputLock> ResultsFile::lock_for(const fs::path& target, std::shared_ptr<OutputLock> lock) {
    if (!lock) {
        lock = OutputLock::acquire(target);
        lock->remove_stale_temporaries();  // we hold the lock: whatever is left is dead
    }
    return lock;
}

ResultsFile ResultsFile::create(const fs::path& target, std::string_view salesflow_version,
                                std::string_view command_line, std::shared_ptr<OutputLock> lock) {
    Hdf5Error::quiet_library();
    check_output_target(target);
    if (!target.parent_path().empty()) fs::create_directories(target.parent_path());

    ResultsFile f;  // from here on its destructor removes whatever was created
    f.lock_ = lock_for(target, std::move(lock));
    f.target_ = target;
    f.writable_ = true;
    auto fcpl = ordered_group_properties(H5P_FILE_CREATE);
    auto fapl = file_access_properties();
    for (int attempt = 0; attempt < 5 && !f.file_; ++attempt) {
        const fs::path temp = make_temp_path(target);
        if (fs::exists(temp)) continue;  // someone else's: never touch it, pick another name
        f.temp_ = temp;                  // from here on, ours to remove on failure
        // EXCL: should another process take the name after all, fail rather than clobber.
        f.file_ = Hdf5Handle(H5Fcreate(f.temp_.c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()));
        if (!f.file_) Hdf5Error::raise("creating a temporary results file next to " + target.string());
    }
    if (f.file_) f.temp_lock_ = TemporaryLock(f.temp_);
    if (!f.file_) throw std::runtime_error("no free temporary file name next to " + target.string());

    f.set_string_attribute("/", "format", format_name);
    f.set_int_attribute("/", "format_version", format_version);
    f.set_string_attribute("/", "salesflow_version", salesflow_version);
    f.set_string_attribute("/", "created_utc", iso8601_utc_now());
    f.set_string_attribute("/", "command_line", command_line);
    return f;
}

ResultsFile ResultsFile::open_read(const fs::path& path) {
    Hdf5Error::quiet_library();
    if (!fs::is_regular_file(path)) throw std::runtime_error("no results file " + path.string());
    ResultsFile f;
    f.target_ = path;
    auto fapl = file_access_properties();
    f.file_ = Hdf5Handle::checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), "opening " + path.string());
    return f;
}

ResultsFile ResultsFile::modify(const fs::path& target, std::shared_ptr<OutputLock> lock) {
    Hdf5Error::quiet_library();
    check_output_target(target);
    if (!fs::is_regular_file(target)) throw std::runtime_error("no results file " + target.string());
    ResultsFile f;
    f.lock_ = lock_for(target, std::move(lock));
    f.target_ = target;
    f.writable_ = true;
    // Work on a copy: the original stays valid until commit() swaps the copy in.
    fs::path temp = make_temp_path(target);
    for (int attempt = 0; attempt < 5 && fs::exists(temp); ++attempt) temp = make_temp_path(target);
    if (fs::exists(temp)) throw std::runtime_error("no free temporary file name next to " + target.string());
    f.temp_ = temp;
    fs::copy_file(target, temp);  // fails rather than overwrite an existing file
    f.temp_lock_ = TemporaryLock(f.temp_);
    auto fapl = file_access_properties();
    f.file_ = Hdf5Handle::checked(H5Fopen(f.temp_.c_str(), H5F_ACC_RDWR, fapl.get()), "opening " + target.string());
    return f;
}

ResultsFile::ResultsFile(ResultsFile&& o) noexcept
    : lock_(std::move(o.lock_)),
      temp_lock_(std::move(o.temp_lock_)),
      file_(std::move(o.file_)),
      target_(std::move(o.target_)),
      temp_(std::exchange(o.temp_, {})),
      writable_(o.writable_),
      committed_(o.committed_) {}

ResultsFile& ResultsFile::operator=(ResultsFile&& o) noexcept {
    if (this != &o) {
        discard();
        lock_ = std::move(o.lock_);
        temp_lock_ = std::move(o.temp_lock_);
        file_ = std::move(o.file_);
        target_ = std::move(o.target_);
        temp_ = std::exchange(o.temp_, {});
        writable_ = o.writable_;
        committed_ = o.committed_;
    }
    return *this;
}

ResultsFile::~ResultsFile() { discard(); }

void ResultsFile::discard() noexcept {
    file_.reset();
    if (!temp_.empty() && !committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
    temp_.clear();
    temp_lock_.release();
}

void ResultsFile::commit() {
    require_writable("commit");
    try {
        Hdf5Error::check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flushing " + target_.string());
        file_.close();
        sync_path(temp_, false);
        fs::rename(temp_, target_);  // atomic replace of an existing target
        committed_ = true;
        temp_.clear();
        temp_lock_.release();
        sync_path(target_.parent_path().empty() ? fs::path(".") : target_.parent_path(), true);
    } catch (...) {
        if (!committed_) discard();
        throw;
    }
}

void ResultsFile::require_writable(const char* what) const {
    if (!file_) throw std::logic_error(std::string("ResultsFile::") + what + ": the file is not open");
    if (!writable_) throw std::logic_error(std::string("ResultsFile::") + what + ": the file is open read-only");
}

// ---------------------------------------------------------------------------------
// Groups

void ResultsFile::create_group(std::string_view path) {
    require_writable("create_group");
    Hdf5Error::quiet_library();
    auto gcpl = ordered_group_properties(H5P_GROUP_CREATE);
    auto lcpl = utf8_names();
    std::string prefix;
    for (const auto& part : components(path)) {
        prefix += "/" + part;
        const htri_t present = Hdf5Error::check(H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT),
                                                "looking up " + prefix);
        if (present > 0) {
            auto obj = Hdf5Handle::checked(H5Oopen(file_.get(), prefix.c_str(), H5P_DEFAULT), "opening " + prefix);
            if (H5Iget_type(obj.get()) != H5I_GROUP) throw std::invalid_argument(prefix + " exists and is not a group");
            continue;
        }
        auto g = Hdf5Handle::checked(H5Gcreate2(file_.get(), prefix.c_str(), lcpl.get(), gcpl.get(), H5P_DEFAULT),
                                     "creating group " + prefix);
    }
}

bool ResultsFile::exists(std::string_view path) const {
    if (!file_) throw std::logic_error("ResultsFile::exists: the file is not open");
    Hdf5Error::quiet_library();
    // H5Lexists fails (rather than saying no) when a parent is missing: walk down.
    std::string prefix;
    for (const auto& part : components(path)) {
        prefix += "/" + part;
        const htri_t present = Hdf5Error::check(H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT),
                                                "looking up " + prefix);
        if (present <= 0) return false;
    }
    return true;
}

std::vector<std::string> ResultsFile::children(std::string_view group) const {
    if (!file_) throw std::logic_error("ResultsFile::children: the file is not open");
    Hdf5Error::quiet_library();
    const std::string p = group.empty() ? "/" : std::string(group);
    auto g = Hdf5Handle::checked(H5Gopen2(file_.get(), p.c_str(), H5P_DEFAULT), "opening group " + p);
    auto gcpl = Hdf5Handle::checked(H5Gget_create_plist(g.get()), "reading group properties");
    unsigned flags = 0;
    Hdf5Error::check(H5Pget_link_creation_order(gcpl.get(), &flags), "reading group properties");
    const H5_index_t index = (flags & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    H5G_info_t info;
    Hdf5Error::check(H5Gget_info(g.get(), &info), "listing group " + p);
    // By index rather than H5Literate, whose callback signature changed in HDF5 1.12.
    std::vector<std::string> names;
    names.reserve(info.nlinks);
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t len = H5Lget_name_by_idx(g.get(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        Hdf5Error::check(len, "listing group " + p);
        std::string name(static_cast<std::size_t>(len), '\0');
        Hdf5Error::check(H5Lget_name_by_idx(g.get(), ".", index, H5_ITER_INC, i, name.data(), name.size() + 1,
                                            H5P_DEFAULT),
                         "listing group " + p);
        names.push_back(std::move(name));
    }
    return names;
}

Hdf5Handle ResultsFile::open_object(std::string_view path) const {
    if (!file_) throw std::logic_error("ResultsFile: the file is not open");
    Hdf5Error::quiet_library();  // this thread may not be the one that opened the file
    const std::string p = path.empty() ? "/" : std::string(path);
    return Hdf5Handle::checked(H5Oopen(file_.get(), p.c_str(), H5P_DEFAULT), "opening " + p);
}

// ---------------------------------------------------------------------------------
// Attributes

void ResultsFile::set_string_attribute(std::string_view path, std::string_view name, std::string_view value) {
    require_writable("set_string_attribute");
    // Variable-length UTF-8: h5py returns it as a Python str, and the text (a whole
    // scenario YAML) lives in the global heap, clear of the 64 KiB object-header limit.
    auto obj = open_object(path);
    auto type = Hdf5Types::text(0);
    auto space = scalar_space();
    const std::string v(value);
    const char* p = v.c_str();
    write_attribute(obj.get(), name, type.get(), type.get(), space.get(), &p);
}

void ResultsFile::set_int_attribute(std::string_view path, std::string_view name, std::int64_t value) {
    require_writable("set_int_attribute");
    auto obj = open_object(path);
    auto space = scalar_space();
    write_attribute(obj.get(), name, H5T_STD_I64LE, H5T_NATIVE_INT64, space.get(), &value);
}

void ResultsFile::set_uint_attribute(std::string_view path, std::string_view name, std::uint64_t value) {
    require_writable("set_uint_attribute");
    auto obj = open_object(path);
    auto space = scalar_space();
    write_attribute(obj.get(), name, H5T_STD_U64LE, H5T_NATIVE_UINT64, space.get(), &value);
}

void ResultsFile::set_double_attribute(std::string_view path, std::string_view name, double value) {
    require_writable("set_double_attribute");
    auto obj = open_object(path);
    auto space = scalar_space();
    write_attribute(obj.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.get(), &value);
}

void ResultsFile::set_string_array_attribute(std::string_view path, std::string_view name,
                                             const std::vector<std::string>& values) {
    require_writable("set_string_array_attribute");
    auto obj = open_object(path);
    auto type = Hdf5Types::text(0);
    // A one-dimensional array, also when empty (h5py reads a length-0 array).
    const hsize_t dims[1] = {values.size()};
    auto space = Hdf5Handle::checked(H5Screate_simple(1, dims, nullptr), "creating an array dataspace");
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& s : values) ptrs.push_back(s.c_str());
    // HDF5 refuses a null buffer even for zero elements.
    const char* none = nullptr;
    write_attribute(obj.get(), name, type.get(), type.get(), space.get(), ptrs.empty() ? &none : ptrs.data());
}

bool ResultsFile::has_attribute(std::string_view path, std::string_view name) const {
    if (!exists(path)) return false;
    auto obj = open_object(path);
    const std::string n(name);
    return Hdf5Error::check(H5Aexists(obj.get(), n.c_str()), "looking up attribute '" + n + "'") > 0;
}

namespace {

struct OpenAttribute {
    Hdf5Handle attr;
    Hdf5Handle type;
    hssize_t count = 0;
};

OpenAttribute open_attribute(hid_t file, std::string_view path, std::string_view name) {
    const std::string p = path.empty() ? "/" : std::string(path);
    const std::string n(name);
    OpenAttribute a;
    a.attr = Hdf5Handle::checked(H5Aopen_by_name(file, p.c_str(), n.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                                 "opening attribute '" + n + "' of " + p);
    a.type = Hdf5Handle::checked(H5Aget_type(a.attr.get()), "reading the type of attribute '" + n + "'");
    auto space = Hdf5Handle::checked(H5Aget_space(a.attr.get()), "reading the shape of attribute '" + n + "'");
    a.count = H5Sget_simple_extent_npoints(space.get());
    Hdf5Error::check(a.count, "reading the shape of attribute '" + n + "'");
    return a;
}

template <class T>
T read_number_attribute(hid_t file, std::string_view path, std::string_view name, hid_t memory_type) {
    auto a = open_attribute(file, path, name);
    const H5T_class_t cls = H5Tget_class(a.type.get());
    if ((cls != H5T_INTEGER && cls != H5T_FLOAT) || a.count != 1)
        throw std::runtime_error("attribute '" + std::string(name) + "' of " + std::string(path) +
                                 " is not a single number");
    T v{};
    Hdf5Error::check(H5Aread(a.attr.get(), memory_type, &v), "reading attribute '" + std::string(name) + "'");
    return v;
}

std::vector<std::string> read_string_attribute(hid_t file, std::string_view path, std::string_view name) {
    auto a = open_attribute(file, path, name);
    if (H5Tget_class(a.type.get()) != H5T_STRING)
        throw std::runtime_error("attribute '" + std::string(name) + "' of " + std::string(path) + " is not text");
    hid_t attr = a.attr.get();
    return Hdf5Types::read_strings(a.type.get(), static_cast<std::size_t>(a.count),
                                   [attr](std::int64_t mem, void* buf) { return static_cast<int>(H5Aread(attr, mem, buf)); });
}

}  // namespace

std::string ResultsFile::string_attribute(std::string_view path, std::string_view name) const {
    if (!file_) throw std::logic_error("ResultsFile: the file is not open");
    auto v = read_string_attribute(file_.get(), path, name);
    if (v.size() != 1)
        throw std::runtime_error("attribute '" + std::string(name) + "' of " + std::string(path) +
                                 " is not a single string");
    return v.front();
}

std::int64_t ResultsFile::int_attribute(std::string_view path, std::string_view name) const {
    if (!file_) throw std::logic_error("ResultsFile: the file is not open");
    return read_number_attribute<std::int64_t>(file_.get(), path, name, H5T_NATIVE_INT64);
}

std::uint64_t ResultsFile::uint_attribute(std::string_view path, std::string_view name) const {
    if (!file_) throw std::logic_error("ResultsFile: the file is not open");
    return read_number_attribute<std::uint64_t>(file_.get(), path, name, H5T_NATIVE_UINT64);
}

double ResultsFile::double_attribute(std::string_view path, std::string_view name) const {
    if (!file_) throw std::logic_error("ResultsFile: the file is not open");
    return read_number_attribute<double>(file_.get(), path, name, H5T_NATIVE_DOUBLE);
}

std::vector<std::string> ResultsFile::string_array_attribute(std::string_view path, std::string_view name) const {
    if (!file_) throw std::logic_error("ResultsFile: the file is not open");
    return read_string_attribute(file_.get(), path, name);
}

// ---------------------------------------------------------------------------------
// Tables

Table ResultsFile::create_table(std::string_view path, TableSchema schema, const TableOptions& options) {
    require_writable("create_table");
    // Parents first, so that they too record creation order (HDF5's own intermediate
    // groups would not).
    create_group(parent_of(path));
    return Table::create(file_, path, std::move(schema), options);
}

Table ResultsFile::open_table(std::string_view path) const {
    if (!file_) throw std::logic_error("ResultsFile::open_table: the file is not open");
    return Table::open(file_, path);
}

std::vector<double> ResultsFile::read_table_column_double(std::string_view path, std::string_view column) const {
    return open_table(path).read_float64(column);
}

std::vector<std::int64_t> ResultsFile::read_table_column_int64(std::string_view path,
                                                               std::string_view column) const {
    return open_table(path).read_int64(column);
}

std::vector<std::string> ResultsFile::read_table_column_string(std::string_view path,
                                                               std::string_view column) const {
    return open_table(path).read_text(column);
}

}  // namespace salesflow::output
