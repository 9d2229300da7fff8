#pragma once
// TableSchema: the column layout of a results table (a one-dimensional HDF5 compound
// dataset, see docs/results-format.md). It models which columns a table has, their
// types, and how one row is packed in memory: cells follow each other in column order
// with no padding, which is also the layout of the compound type in the file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salesflow::output {

enum class ColumnType : std::uint8_t {
    float64,  // IEEE double
    int64,    // signed 64-bit integer
    text      // UTF-8 string: variable length, or fixed width in bytes (null padded)
};

struct Column {
    std::string name;                      // kept verbatim as the compound field name
    ColumnType type = ColumnType::float64;
    std::size_t text_width = 0;            // text only: 0 = variable length, else bytes

    static Column float64(std::string name) { return {std::move(name), ColumnType::float64, 0}; }
    static Column int64(std::string name) { return {std::move(name), ColumnType::int64, 0}; }
    static Column text(std::string name, std::size_t width = 0) { return {std::move(name), ColumnType::text, width}; }

    bool operator==(const Column&) const = default;
};

class TableSchema {
public:
    TableSchema() = default;
    explicit TableSchema(std::vector<Column> columns);  // throws std::invalid_argument on empty/duplicate names

    TableSchema& add(Column column);                     // same checks as the constructor
    TableSchema& add_float64(std::string name) { return add(Column::float64(std::move(name))); }
    TableSchema& add_int64(std::string name) { return add(Column::int64(std::move(name))); }
    TableSchema& add_text(std::string name, std::size_t width = 0) { return add(Column::text(std::move(name), width)); }

    std::size_t size() const { return columns_.size(); }
    bool empty() const { return columns_.empty(); }
    const Column& operator[](std::size_t i) const { return columns_[i]; }
    const std::vector<Column>& columns() const { return columns_; }

    std::optional<std::size_t> find(std::string_view name) const;
    std::size_t index_of(std::string_view name) const;   // throws std::out_of_range if absent

    // Packed row layout (bytes).
    std::size_t offset(std::size_t i) const { return offsets_[i]; }
    std::size_t row_bytes() const { return row_bytes_; }
    static std::size_t cell_bytes(const Column& c);

    bool has_variable_text() const;

    bool operator==(const TableSchema& other) const { return columns_ == other.columns_; }

private:
    std::vector<Column> columns_;
    std::vector<std::size_t> offsets_;
    std::size_t row_bytes_ = 0;
};

}  // namespace salesflow::output
