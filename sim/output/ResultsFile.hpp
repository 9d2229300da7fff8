#pragma once
// ResultsFile: one salesflow results file (shared/design/results-core.md,
// docs/results-format.md). It models the file's life so that an output "appears
// complete or not at all" (cli-core.md):
//   - create(): the target is checked (output/OutputTarget.hpp: never an input, a device,
//     a folder or a write-protected file), its lock is taken (output/OutputLock.hpp: one
//     writer per results file, temporary files of dead runs removed), and everything is
//     written to a hidden temporary file in the target's folder (.NAME.tmp-PID-RANDOM,
//     NAME shortened with a hash when it would not fit NAME_MAX); commit() flushes, closes, syncs and renames it over the
//     target in one atomic step. Without commit() (destructor, exception, discard()) the
//     temporary file is removed and an existing target is left untouched.
//   - open_read(): an existing file, read only (reading back tables and attributes).
//   - modify(): an existing file, copied to a temporary file that is changed and then
//     committed like a new one (e.g. resuming an interrupted sweep).
// Paths inside the file are HDF5 paths ("/runs/base/summary"). Not thread-safe: use one
// ResultsFile from one thread at a time.
#include "output/Hdf5Handle.hpp"
#include "output/OutputLock.hpp"
#include "output/OutputTarget.hpp"
#include "output/Table.hpp"
#include "output/TableSchema.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace salesflow::output {

class ResultsFile {
public:
    static constexpr const char* format_name = "salesflow-results";
    static constexpr std::int64_t format_version = 1;

    // New file for `target` (its folder is created if missing). Writes the root
    // attributes format, format_version, salesflow_version, created_utc, command_line.
    // Throws OutputPathError for an unusable target, OutputBusyError when another
    // process writes it. `lock`: the target's lock when the caller already holds it
    // (several files committed in turn under one lock); else it is taken here and held
    // until this object is destroyed.
    static ResultsFile create(const std::filesystem::path& target, std::string_view salesflow_version,
                              std::string_view command_line, std::shared_ptr<OutputLock> lock = nullptr);
    static ResultsFile open_read(const std::filesystem::path& path);
    static ResultsFile modify(const std::filesystem::path& target, std::shared_ptr<OutputLock> lock = nullptr);

    ResultsFile(ResultsFile&& other) noexcept;
    ResultsFile& operator=(ResultsFile&& other) noexcept;
    ResultsFile(const ResultsFile&) = delete;
    ResultsFile& operator=(const ResultsFile&) = delete;
    ~ResultsFile();  // discard() unless committed

    // Writes everything, closes the file (and every table, group or attribute still
    // open in it) and atomically replaces the target. On failure the temporary file is
    // removed, the target is untouched and the error is thrown.
    void commit();
    // Closes and removes the temporary file; the target is untouched. Never throws.
    void discard() noexcept;

    bool is_open() const { return static_cast<bool>(file_); }
    bool writable() const { return writable_; }
    bool committed() const { return committed_; }
    const std::filesystem::path& target() const { return target_; }
    const std::filesystem::path& temp_path() const { return temp_; }  // empty for open_read

    // Groups and objects.
    void create_group(std::string_view path);           // with parents; fine if it exists
    bool exists(std::string_view path) const;           // any object (group or table) at path
    std::vector<std::string> children(std::string_view group) const;  // in creation order when tracked

    // Attributes on any group or table. set_* replaces an attribute of the same name.
    void set_string_attribute(std::string_view path, std::string_view name, std::string_view value);
    void set_int_attribute(std::string_view path, std::string_view name, std::int64_t value);
    void set_uint_attribute(std::string_view path, std::string_view name, std::uint64_t value);
    void set_double_attribute(std::string_view path, std::string_view name, double value);
    void set_string_array_attribute(std::string_view path, std::string_view name,
                                    const std::vector<std::string>& values);

    bool has_attribute(std::string_view path, std::string_view name) const;
    std::string string_attribute(std::string_view path, std::string_view name) const;
    std::int64_t int_attribute(std::string_view path, std::string_view name) const;
    std::uint64_t uint_attribute(std::string_view path, std::string_view name) const;
    double double_attribute(std::string_view path, std::string_view name) const;
    std::vector<std::string> string_array_attribute(std::string_view path, std::string_view name) const;

    // Tables (parent groups are created as by create_group).
    Table create_table(std::string_view path, TableSchema schema, const TableOptions& options = {});
    Table open_table(std::string_view path) const;
    std::vector<double> read_table_column_double(std::string_view path, std::string_view column) const;
    std::vector<std::int64_t> read_table_column_int64(std::string_view path, std::string_view column) const;
    std::vector<std::string> read_table_column_string(std::string_view path, std::string_view column) const;

    const Hdf5Handle& handle() const { return file_; }  // the HDF5 file id, for low-level use

private:
    ResultsFile() = default;
    static std::filesystem::path make_temp_path(const std::filesystem::path& target);
    static std::shared_ptr<OutputLock> lock_for(const std::filesystem::path& target, std::shared_ptr<OutputLock> lock);
    void require_writable(const char* what) const;
    Hdf5Handle open_object(std::string_view path) const;

    std::shared_ptr<OutputLock> lock_;   // the target's lock (writable files)
    TemporaryLock temp_lock_;            // our temporary file is alive
    Hdf5Handle file_;
    std::filesystem::path target_;
    std::filesystem::path temp_;
    bool writable_ = false;
    bool committed_ = false;
};

}  // namespace salesflow::output
