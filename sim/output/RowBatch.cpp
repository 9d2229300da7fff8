#include "output/RowBatch.hpp"

#include <cstring>
#include <stdexcept>

namespace salesflow::output {
namespace {

// Every variable-length text cell must hold a valid C string: a null pointer would be
// stored as a "null string" that some readers reject, so blank cells point here.
constexpr const char kEmpty[] = "";

const char* type_name(ColumnType t) {
    switch (t) {
        case ColumnType::float64: return "float64";
        case ColumnType::int64: return "int64";
        case ColumnType::text: return "text";
    }
    return "?";
}

}  // namespace

RowBatch::RowBatch(TableSchema schema) : schema_(std::move(schema)) {
    if (schema_.empty()) throw std::invalid_argument("RowBatch: the schema has no columns");
}

void RowBatch::reserve(std::size_t rows) { bytes_.reserve(rows * schema_.row_bytes()); }

void RowBatch::clear() {
    bytes_.clear();
    strings_.clear();
    rows_ = 0;
    next_column_ = 0;
}

void RowBatch::append_blank_rows(std::size_t n) {
    const std::size_t start = bytes_.size();
    bytes_.resize(start + n * schema_.row_bytes());  // zero-initialised: 0.0, 0 and "" for fixed text
    if (!schema_.has_variable_text()) return;
    const char* empty = kEmpty;
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t c = 0; c < schema_.size(); ++c)
            if (schema_[c].type == ColumnType::text && schema_[c].text_width == 0)
                std::memcpy(bytes_.data() + start + r * schema_.row_bytes() + schema_.offset(c), &empty,
                            sizeof empty);
}

std::byte* RowBatch::next_cell(ColumnType expected) {
    const Column& c = schema_[next_column_];
    if (c.type != expected)
        throw std::logic_error("RowBatch: column '" + c.name + "' is " + type_name(c.type) + ", got a " +
                               type_name(expected) + " value");
    if (next_column_ == 0) append_blank_rows(1);
    return bytes_.data() + rows_ * schema_.row_bytes() + schema_.offset(next_column_);
}

void RowBatch::finish_cell() {
    if (++next_column_ == schema_.size()) {
        next_column_ = 0;
        ++rows_;
    }
}

void RowBatch::store_text(std::byte* where, const Column& c, std::string_view v) {
    if (c.text_width == 0) {
        // HDF5 reads variable-length strings through char*: keep our own copy alive
        // until the batch is cleared and store its address in the cell.
        const char* p = strings_.emplace_back(v).c_str();
        std::memcpy(where, &p, sizeof p);
        return;
    }
    if (v.size() > c.text_width)
        throw std::length_error("RowBatch: text of " + std::to_string(v.size()) + " bytes does not fit column '" +
                                c.name + "' of width " + std::to_string(c.text_width));
    if (!v.empty()) std::memcpy(where, v.data(), v.size());  // an empty view may have a null data()
    std::memset(where + v.size(), 0, c.text_width - v.size());
}

RowBatch& RowBatch::put_float64(double v) {
    std::memcpy(next_cell(ColumnType::float64), &v, sizeof v);
    finish_cell();
    return *this;
}

RowBatch& RowBatch::put_int64(std::int64_t v) {
    std::memcpy(next_cell(ColumnType::int64), &v, sizeof v);
    finish_cell();
    return *this;
}

RowBatch& RowBatch::put_text(std::string_view v) {
    std::byte* where = next_cell(ColumnType::text);
    try {
        store_text(where, schema_[next_column_], v);
    } catch (...) {
        // Leave the batch as it was before this call: drop the row we just opened.
        if (next_column_ == 0) bytes_.resize(bytes_.size() - schema_.row_bytes());
        throw;
    }
    finish_cell();
    return *this;
}

RowBatch& RowBatch::put_float64s(std::span<const double> v) {
    for (double x : v) put_float64(x);
    return *this;
}

void RowBatch::resize(std::size_t rows) {
    if (row_open()) throw std::logic_error("RowBatch::resize with a row half filled");
    if (rows < rows_) {
        bytes_.resize(rows * schema_.row_bytes());
    } else {
        append_blank_rows(rows - rows_);
    }
    rows_ = rows;
}

std::byte* RowBatch::cell(std::size_t row, std::size_t column, ColumnType expected) {
    return const_cast<std::byte*>(static_cast<const RowBatch&>(*this).cell(row, column, expected));
}

const std::byte* RowBatch::cell(std::size_t row, std::size_t column, ColumnType expected) const {
    if (row >= rows_ || column >= schema_.size())
        throw std::out_of_range("RowBatch: cell (" + std::to_string(row) + ", " + std::to_string(column) +
                                ") outside " + std::to_string(rows_) + " x " + std::to_string(schema_.size()));
    const Column& c = schema_[column];
    if (c.type != expected)
        throw std::logic_error("RowBatch: column '" + c.name + "' is " + type_name(c.type) + ", not " +
                               type_name(expected));
    return bytes_.data() + row * schema_.row_bytes() + schema_.offset(column);
}

void RowBatch::set_float64(std::size_t row, std::size_t column, double v) {
    std::memcpy(cell(row, column, ColumnType::float64), &v, sizeof v);
}

void RowBatch::set_int64(std::size_t row, std::size_t column, std::int64_t v) {
    std::memcpy(cell(row, column, ColumnType::int64), &v, sizeof v);
}

void RowBatch::set_text(std::size_t row, std::size_t column, std::string_view v) {
    store_text(cell(row, column, ColumnType::text), schema_[column], v);
}

double RowBatch::get_float64(std::size_t row, std::size_t column) const {
    double v;
    std::memcpy(&v, cell(row, column, ColumnType::float64), sizeof v);
    return v;
}

std::int64_t RowBatch::get_int64(std::size_t row, std::size_t column) const {
    std::int64_t v;
    std::memcpy(&v, cell(row, column, ColumnType::int64), sizeof v);
    return v;
}

std::string_view RowBatch::get_text(std::size_t row, std::size_t column) const {
    const std::byte* where = cell(row, column, ColumnType::text);
    const Column& c = schema_[column];
    if (c.text_width == 0) {
        const char* p;
        std::memcpy(&p, where, sizeof p);
        return p;
    }
    const char* s = reinterpret_cast<const char*>(where);
    std::size_t n = c.text_width;
    while (n > 0 && s[n - 1] == '\0') --n;
    return {s, n};
}

}  // namespace salesflow::output
