#include "output/Table.hpp"

#include "output/Hdf5Error.hpp"
#include "output/Hdf5Types.hpp"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <stdexcept>

namespace salesflow::output {
namespace {

constexpr std::size_t kTargetChunkBytes = 64 * 1024;
constexpr std::size_t kMinChunkRows = 16;
constexpr std::size_t kMaxChunkRows = 65536;

std::size_t chunk_rows_for(const TableSchema& schema, const TableOptions& o) {
    if (o.chunk_rows > 0) return o.chunk_rows;
    // About 64 KiB per chunk: big enough for deflate to work well and for few chunk
    // index entries on long tables, small enough that a short replications table (a few
    // rows) costs little, and that reading a slice does not inflate megabytes.
    const std::size_t rows = std::clamp(kTargetChunkBytes / std::max<std::size_t>(schema.row_bytes(), 1),
                                        kMinChunkRows, kMaxChunkRows);
    return o.expected_rows > 0 ? std::min(rows, o.expected_rows) : rows;
}

hsize_t current_length(hid_t dataset) {
    auto space = Hdf5Handle::checked(H5Dget_space(dataset), "getting a table's extent");
    hsize_t dims[1] = {0};
    if (H5Sget_simple_extent_ndims(space.get()) != 1) throw Hdf5Error("HDF5: table is not one-dimensional");
    Hdf5Error::check(H5Sget_simple_extent_dims(space.get(), dims, nullptr), "getting a table's length");
    return dims[0];
}

// A memory compound type with the single field `name` of `member` type: HDF5 matches
// compound fields by name, so reading with it fetches one column and skips the others.
Hdf5Handle one_field(const std::string& name, hid_t member, std::size_t size) {
    auto t = Hdf5Handle::checked(H5Tcreate(H5T_COMPOUND, size), "creating a column type");
    Hdf5Error::check(H5Tinsert(t.get(), name.c_str(), 0, member), "creating a column type");
    return t;
}

// Dataspaces selecting rows [first, first + count) in the file and `count` cells in memory.
struct Selection {
    Hdf5Handle file;
    Hdf5Handle memory;
};

Selection select_rows(hid_t dataset, hsize_t first, hsize_t count) {
    Selection s;
    s.file = Hdf5Handle::checked(H5Dget_space(dataset), "getting a table's dataspace");
    const hsize_t start[1] = {first};
    const hsize_t n[1] = {count};
    Hdf5Error::check(H5Sselect_hyperslab(s.file.get(), H5S_SELECT_SET, start, nullptr, n, nullptr),
                     "selecting table rows");
    s.memory = Hdf5Handle::checked(H5Screate_simple(1, n, nullptr), "creating a memory dataspace");
    return s;
}

}  // namespace

bool Table::fits(const TableSchema& schema) {
    // A sure answer without HDF5 (creating an in-memory file cost 3.7 M instructions, a
    // tenth of a one-week run): a compound member takes at most its name, padded to 8
    // bytes with its terminator, plus 52 bytes (offset, the 1.6 format's dimensions, the
    // member's own type message) in any format version. 96 bytes a member and half the
    // 64 KiB limit leave a wide margin; a schema beyond that is tried for real below.
    std::size_t bound = 0;
    for (const auto& c : schema.columns()) bound += c.name.size() + 96;
    if (bound <= 32 * 1024) return true;
    Hdf5Error::quiet_library();
    auto fapl = Hdf5Handle::checked(H5Pcreate(H5P_FILE_ACCESS), "creating file access properties");
    Hdf5Error::check(H5Pset_fapl_core(fapl.get(), 1 << 16, 0), "choosing the in-memory driver");
    // The same format bounds as ResultsFile.
    Hdf5Error::check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "setting the format bounds");
    static std::atomic<int> counter{0};
    const std::string name = "salesflow-fits-" + std::to_string(counter++);
    Hdf5Handle file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()));
    if (!file) Hdf5Error::raise("creating an in-memory file");
    try {
        (void)Table::create(file, "/t", schema);
        return true;
    } catch (const Hdf5Error&) {
        return false;
    }
}

Table::Table(Hdf5Handle dataset, std::string path, TableSchema schema)
    : dataset_(std::move(dataset)),
      memory_type_(Hdf5Types::compound(schema, false)),
      path_(std::move(path)),
      schema_(std::move(schema)) {}

namespace {
// Above this many columns a table is created in the 1.8 format (see Table::create).
constexpr std::size_t wide_table_columns = 400;
}  // namespace

Table Table::create(const Hdf5Handle& location, std::string_view path, TableSchema schema,
                    const TableOptions& options) {
    Hdf5Error::quiet_library();
    if (schema.empty()) throw std::invalid_argument("table '" + std::string(path) + "' needs at least one column");
    if (options.deflate_level < 0 || options.deflate_level > 9)
        throw std::invalid_argument("deflate level must be 0..9");
    const std::string p(path);
    auto file_type = Hdf5Types::compound(schema, true);

    const hsize_t dims[1] = {0};
    const hsize_t maxdims[1] = {H5S_UNLIMITED};
    auto space = Hdf5Handle::checked(H5Screate_simple(1, dims, maxdims), "creating a table dataspace");

    auto dcpl = Hdf5Handle::checked(H5Pcreate(H5P_DATASET_CREATE), "creating dataset properties");
    const hsize_t chunk[1] = {static_cast<hsize_t>(chunk_rows_for(schema, options))};
    Hdf5Error::check(H5Pset_chunk(dcpl.get(), 1, chunk), "setting the table chunk size");
    if (options.deflate_level > 0) {
        if (options.shuffle) Hdf5Error::check(H5Pset_shuffle(dcpl.get()), "setting the shuffle filter");
        Hdf5Error::check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(options.deflate_level)),
                         "setting the deflate filter");
    }
    // Every row is written by an append, so filling fresh chunks first is wasted work.
    // HDF5 does not allow skipping the fill for types with variable-length strings.
    if (!schema.has_variable_text())
        Hdf5Error::check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), "setting the fill time");

    // A table of many columns needs the 1.8 format's compact compound types (member
    // names unpadded) to fit HDF5's 64 KiB limit on an object header message: switch the
    // file to it from now on. Ordinary tables keep the earliest format.
    if (schema.size() > wide_table_columns) {
        const hid_t file = H5Iget_file_id(location.get());
        if (file >= 0) {
            const herr_t ok = H5Fset_libver_bounds(file, H5F_LIBVER_V18, H5F_LIBVER_V18);
            H5Fclose(file);
            Hdf5Error::check(ok, "choosing the 1.8 format for a wide table");
        }
    }

    auto lcpl = Hdf5Handle::checked(H5Pcreate(H5P_LINK_CREATE), "creating link properties");
    Hdf5Error::check(H5Pset_create_intermediate_group(lcpl.get(), 1), "allowing parent groups");
    Hdf5Error::check(H5Pset_char_encoding(lcpl.get(), H5T_CSET_UTF8), "setting UTF-8 link names");

    auto dataset = Hdf5Handle::checked(
        H5Dcreate2(location.get(), p.c_str(), file_type.get(), space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT),
        "creating table '" + p + "'");
    return Table(std::move(dataset), p, std::move(schema));
}

Table Table::open(const Hdf5Handle& location, std::string_view path) {
    Hdf5Error::quiet_library();
    const std::string p(path);
    auto dataset = Hdf5Handle::checked(H5Dopen2(location.get(), p.c_str(), H5P_DEFAULT), "opening table '" + p + "'");
    auto type = Hdf5Handle::checked(H5Dget_type(dataset.get()), "getting the type of table '" + p + "'");
    TableSchema schema = Hdf5Types::schema_of(type.get());
    (void)current_length(dataset.get());  // checks that it is one-dimensional
    return Table(std::move(dataset), p, std::move(schema));
}

std::uint64_t Table::rows() const {
    if (!is_open()) throw std::logic_error("Table::rows on a closed table");
    return current_length(dataset_.get());
}

void Table::append(const RowBatch& batch) {
    if (!is_open()) throw std::logic_error("Table::append on a closed table '" + path_ + "'");
    if (batch.row_open()) throw std::logic_error("Table::append: the batch has a half-filled row");
    if (!(batch.schema() == schema_))
        throw std::invalid_argument("Table::append: the batch's columns differ from table '" + path_ + "'");
    if (batch.rows() == 0) return;
    Hdf5Error::quiet_library();  // appends may come from another thread than the one that opened
    // Grow the dataset, then write the whole batch into the new rows with a single
    // H5Dwrite: the cost is per batch, not per cell.
    const hsize_t old_rows = current_length(dataset_.get());
    const hsize_t n = batch.rows();
    const hsize_t new_dims[1] = {old_rows + n};
    Hdf5Error::check(H5Dset_extent(dataset_.get(), new_dims), "extending table '" + path_ + "'");
    Selection sel = select_rows(dataset_.get(), old_rows, n);
    Hdf5Error::check(H5Dwrite(dataset_.get(), memory_type_.get(), sel.memory.get(), sel.file.get(), H5P_DEFAULT,
                              batch.data()),
                     "appending to table '" + path_ + "'");
}

void Table::clip(std::uint64_t first, std::uint64_t& count) const {
    Hdf5Error::quiet_library();
    const std::uint64_t n = rows();
    if (first > n) throw std::out_of_range("table '" + path_ + "': first row past the end");
    count = std::min(count, n - first);
}

template <class T>
std::vector<T> Table::read_numbers(std::string_view column, std::uint64_t first, std::uint64_t count,
                                   std::int64_t native_type) const {
    const Column& c = schema_[schema_.index_of(column)];
    if (c.type == ColumnType::text)
        throw std::invalid_argument("table '" + path_ + "': column '" + c.name + "' is text, not a number");
    clip(first, count);
    std::vector<T> out(count);
    if (count == 0) return out;
    auto mem = one_field(c.name, native_type, sizeof(T));
    Selection sel = select_rows(dataset_.get(), first, count);
    Hdf5Error::check(H5Dread(dataset_.get(), mem.get(), sel.memory.get(), sel.file.get(), H5P_DEFAULT, out.data()),
                     "reading column '" + c.name + "' of table '" + path_ + "'");
    return out;
}

std::vector<double> Table::read_float64(std::string_view column, std::uint64_t first, std::uint64_t count) const {
    return read_numbers<double>(column, first, count, H5T_NATIVE_DOUBLE);
}

std::vector<std::int64_t> Table::read_int64(std::string_view column, std::uint64_t first,
                                            std::uint64_t count) const {
    return read_numbers<std::int64_t>(column, first, count, H5T_NATIVE_INT64);
}

std::vector<std::string> Table::read_text(std::string_view column, std::uint64_t first, std::uint64_t count) const {
    const std::size_t idx = schema_.index_of(column);
    const Column& c = schema_[idx];
    if (c.type != ColumnType::text)
        throw std::invalid_argument("table '" + path_ + "': column '" + c.name + "' is not text");
    clip(first, count);
    if (count == 0) return {};
    auto file_type = Hdf5Handle::checked(H5Dget_type(dataset_.get()), "getting a table type");
    auto stored = Hdf5Handle::checked(H5Tget_member_type(file_type.get(), static_cast<unsigned>(idx)),
                                      "getting a column type");
    Selection sel = select_rows(dataset_.get(), first, count);
    return Hdf5Types::read_strings(stored.get(), count, [&](std::int64_t string_type, void* buf) {
        Hdf5Handle mem(H5Tcreate(H5T_COMPOUND, H5Tget_size(string_type)));
        if (!mem || H5Tinsert(mem.get(), c.name.c_str(), 0, string_type) < 0) return -1;
        return static_cast<int>(
            H5Dread(dataset_.get(), mem.get(), sel.memory.get(), sel.file.get(), H5P_DEFAULT, buf));
    });
}

void Table::close() {
    memory_type_.close();
    dataset_.close();
}

}  // namespace salesflow::output
