#pragma once
// Table: one results table in an HDF5 file, i.e. a one-dimensional compound dataset with
// one field per column (results-core.md), so pandas.DataFrame(h5py.File(f)[path][:])
// gives a frame. It models a growing table: created empty (chunked, compressed, with an
// unlimited length) and extended by whole batches of rows, so big tables stream to disk
// without ever being held in memory. Existing tables can be reopened to read columns back
// or to append more rows.
//
// Usage:
//   Table t = file.create_table("/runs/base/replications", schema);
//   RowBatch b = t.make_batch();
//   b.put_int64(0).put_float64(1.5);   // one row
//   t.append(b);                       // one HDF5 write per batch
#include "output/Hdf5Handle.hpp"
#include "output/RowBatch.hpp"
#include "output/TableSchema.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace salesflow::output {

struct TableOptions {
    std::size_t chunk_rows = 0;  // rows per chunk; 0 = about 64 KiB per chunk
    // Rows the table is expected to hold (0: unknown). With chunk_rows = 0, a table
    // expected to stay smaller than one 64 KiB chunk gets chunks of exactly that many
    // rows: HDF5 compresses whole chunks, so a 1-row table in a 64 KiB chunk cost 3.4 M
    // instructions of deflate at close (a third of a one-week run). A table that grows
    // past the expectation just gets more chunks.
    std::size_t expected_rows = 0;
    // Level 4 kept for every table (issue 9 asked whether a lower level halves the write
    // cost of the lead log and series): on `run scenarios/flow-optimised.yaml
    // --replications 20 --threads 1 --leads --set simulation.sample_every=1d`, writing them
    // costs 344 M instructions at level 4, 253 M at 2, 247 M at 1 (-28%, +5.2% file size),
    // 23 M uncompressed (3.6 x the size): no level halves it for a few percent of size.
    int deflate_level = 4;       // 0 = no compression, 1..9 = gzip level
    bool shuffle = true;         // byte shuffle before deflate (helps numeric columns)
};

class Table {
public:
    static constexpr std::uint64_t all_rows = std::numeric_limits<std::uint64_t>::max();

    Table() = default;  // not open
    // `location` is an open file or group; `path` is relative to it (or absolute).
    // create: missing parent groups are created; throws Hdf5Error if `path` exists.
    static Table create(const Hdf5Handle& location, std::string_view path, TableSchema schema,
                        const TableOptions& options = {});
    static Table open(const Hdf5Handle& location, std::string_view path);
    // Whether a table of this schema can be created in a results file: HDF5 stores the
    // column descriptions in one object header message of at most 64 KiB, so very many
    // columns with long names do not fit. Checked exactly, on an in-memory file.
    static bool fits(const TableSchema& schema);

    Table(Table&&) noexcept = default;
    Table& operator=(Table&&) noexcept = default;

    bool is_open() const { return static_cast<bool>(dataset_); }
    const std::string& path() const { return path_; }
    const TableSchema& schema() const { return schema_; }
    std::uint64_t rows() const;            // rows stored in the file now
    RowBatch make_batch() const { return RowBatch(schema_); }

    // Appends every complete row of `batch` (schema must equal this table's; no row may
    // be half filled). An empty batch is a no-op.
    void append(const RowBatch& batch);

    // Reads rows [first, first + count) of one column (count clipped to the table).
    // Numbers convert as HDF5 converts them (an int64 column can be read as float64).
    std::vector<double> read_float64(std::string_view column, std::uint64_t first = 0,
                                     std::uint64_t count = all_rows) const;
    std::vector<std::int64_t> read_int64(std::string_view column, std::uint64_t first = 0,
                                         std::uint64_t count = all_rows) const;
    std::vector<std::string> read_text(std::string_view column, std::uint64_t first = 0,
                                       std::uint64_t count = all_rows) const;

    void close();  // releases the dataset; raises Hdf5Error if HDF5 reports a failure

    const Hdf5Handle& handle() const { return dataset_; }

private:
    Table(Hdf5Handle dataset, std::string path, TableSchema schema);
    void clip(std::uint64_t first, std::uint64_t& count) const;  // count := rows available from first
    template <class T>
    std::vector<T> read_numbers(std::string_view column, std::uint64_t first, std::uint64_t count,
                                std::int64_t native_type) const;

    Hdf5Handle dataset_;
    Hdf5Handle memory_type_;  // compound type of a RowBatch row
    std::string path_;
    TableSchema schema_;
};

}  // namespace salesflow::output
