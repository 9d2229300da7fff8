#pragma once
// Hdf5Types: translation between salesflow's table/attribute types and HDF5 datatypes.
// It models the one place that decides how a column is stored (little-endian IEEE
// doubles, 64-bit integers, UTF-8 strings) and how stored strings are read back, whatever
// tool wrote them (variable or fixed length, null or space padded).
// Internal to salesflow::output; it takes and returns raw HDF5 ids (hid_t).
#include "output/Hdf5Handle.hpp"
#include "output/TableSchema.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace salesflow::output {

class Hdf5Types {
public:
    // A UTF-8 string type: variable length when width == 0, else fixed, null padded.
    static Hdf5Handle text(std::size_t width);

    // The compound type of one packed row (TableSchema layout). In memory the cells are
    // native; in the file they are little-endian, which is the same bytes on the hosts
    // we build for, so both share the packed offsets.
    static Hdf5Handle compound(const TableSchema& schema, bool for_file);

    // The schema of a stored compound type (any float -> float64, any integer -> int64,
    // any string -> text). Throws Hdf5Error for members of other classes.
    static TableSchema schema_of(std::int64_t compound_type);

    // Reads `count` strings stored with string type `stored_type`. `read` is called once
    // with a memory string type and a buffer for `count` cells of that type and must fill
    // it (H5Dread/H5Aread), returning a negative value on failure.
    static std::vector<std::string> read_strings(std::int64_t stored_type, std::size_t count,
                                                 const std::function<int(std::int64_t, void*)>& read);
};

}  // namespace salesflow::output
