#pragma once
// RowBatch: a block of table rows waiting to be appended to a Table. It models the rows
// exactly as HDF5 will read them from memory (packed, row-major, see TableSchema), so an
// append is one HDF5 write for the whole batch, whatever the number of cells.
//
// Fill it row by row (put_* in column order; a row is complete after its last column)
// or column-wise (resize, then set_*). Variable-length text is kept inside the batch, so
// a batch is move-only: its cells point into its own storage.
#include "output/TableSchema.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace salesflow::output {

class RowBatch {
public:
    explicit RowBatch(TableSchema schema);
    RowBatch(RowBatch&&) noexcept = default;
    RowBatch& operator=(RowBatch&&) noexcept = default;
    RowBatch(const RowBatch&) = delete;
    RowBatch& operator=(const RowBatch&) = delete;

    const TableSchema& schema() const { return schema_; }
    std::size_t rows() const { return rows_; }          // complete rows
    bool empty() const { return rows_ == 0 && next_column_ == 0; }
    bool row_open() const { return next_column_ != 0; } // a row was started, not finished
    void reserve(std::size_t rows);
    void clear();                                        // keeps the capacity

    // Row builder: the next cell of the current row; the column type must match
    // (std::logic_error otherwise). Text longer than a fixed width: std::length_error.
    RowBatch& put_float64(double v);
    RowBatch& put_int64(std::int64_t v);
    RowBatch& put_text(std::string_view v);
    RowBatch& put_float64s(std::span<const double> v);  // several float64 cells in a row

    // Column-wise: resize adds rows of zeros and empty text; set_* overwrite a cell.
    void resize(std::size_t rows);
    void set_float64(std::size_t row, std::size_t column, double v);
    void set_int64(std::size_t row, std::size_t column, std::int64_t v);
    void set_text(std::size_t row, std::size_t column, std::string_view v);

    double get_float64(std::size_t row, std::size_t column) const;
    std::int64_t get_int64(std::size_t row, std::size_t column) const;
    std::string_view get_text(std::size_t row, std::size_t column) const;

    // The packed rows (rows() * schema().row_bytes() bytes) for the HDF5 write.
    const std::byte* data() const { return bytes_.data(); }

private:
    std::byte* cell(std::size_t row, std::size_t column, ColumnType expected);
    const std::byte* cell(std::size_t row, std::size_t column, ColumnType expected) const;
    std::byte* next_cell(ColumnType expected);
    void finish_cell();
    void store_text(std::byte* where, const Column& c, std::string_view v);
    void append_blank_rows(std::size_t n);

    TableSchema schema_;
    std::vector<std::byte> bytes_;
    std::deque<std::string> strings_;  // owns variable-length text; deque keeps addresses stable
    std::size_t rows_ = 0;
    std::size_t next_column_ = 0;
};

}  // namespace salesflow::output
