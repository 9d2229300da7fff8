#include "output/TableSchema.hpp"

#include <stdexcept>

namespace salesflow::output {

TableSchema::TableSchema(std::vector<Column> columns) {
    columns_.reserve(columns.size());
    for (auto& c : columns) add(std::move(c));
}

TableSchema& TableSchema::add(Column column) {
    // HDF5 rejects empty and duplicate member names only deep inside H5Tinsert, with an
    // unhelpful message; checking here names the offending column.
    if (column.name.empty()) throw std::invalid_argument("table column with an empty name");
    if (find(column.name)) throw std::invalid_argument("duplicate table column '" + column.name + "'");
    if (column.type != ColumnType::text && column.text_width != 0)
        throw std::invalid_argument("column '" + column.name + "': text_width given for a non-text column");
    offsets_.push_back(row_bytes_);
    row_bytes_ += cell_bytes(column);
    columns_.push_back(std::move(column));
    return *this;
}

std::optional<std::size_t> TableSchema::find(std::string_view name) const {
    for (std::size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i].name == name) return i;
    return std::nullopt;
}

std::size_t TableSchema::index_of(std::string_view name) const {
    if (auto i = find(name)) return *i;
    throw std::out_of_range("table has no column '" + std::string(name) + "'");
}

std::size_t TableSchema::cell_bytes(const Column& c) {
    switch (c.type) {
        case ColumnType::float64: return sizeof(double);
        case ColumnType::int64: return sizeof(std::int64_t);
        // A variable-length string cell in memory is a char* (HDF5's C convention).
        case ColumnType::text: return c.text_width == 0 ? sizeof(const char*) : c.text_width;
    }
    throw std::logic_error("unknown column type");
}

bool TableSchema::has_variable_text() const {
    for (const auto& c : columns_)
        if (c.type == ColumnType::text && c.text_width == 0) return true;
    return false;
}

}  // namespace salesflow::output
