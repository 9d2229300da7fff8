#include "output/Hdf5Types.hpp"

#include "output/Hdf5Error.hpp"

#include <hdf5.h>

#include <memory>

namespace salesflow::output {

Hdf5Handle Hdf5Types::text(std::size_t width) {
    auto t = Hdf5Handle::checked(H5Tcopy(H5T_C_S1), "copying the string type");
    if (width == 0) {
        Hdf5Error::check(H5Tset_size(t.get(), H5T_VARIABLE), "making a variable-length string type");
        Hdf5Error::check(H5Tset_strpad(t.get(), H5T_STR_NULLTERM), "setting string padding");
    } else {
        Hdf5Error::check(H5Tset_size(t.get(), width), "sizing a fixed-length string type");
        // Null padding is numpy's 'S' convention: a string may fill the whole width.
        Hdf5Error::check(H5Tset_strpad(t.get(), H5T_STR_NULLPAD), "setting string padding");
    }
    // UTF-8, so that h5py and pandas know how to decode the bytes.
    Hdf5Error::check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "setting the UTF-8 character set");
    return t;
}

Hdf5Handle Hdf5Types::compound(const TableSchema& schema, bool for_file) {
    auto t = Hdf5Handle::checked(H5Tcreate(H5T_COMPOUND, schema.row_bytes()), "creating a compound type");
    for (std::size_t i = 0; i < schema.size(); ++i) {
        const Column& c = schema[i];
        Hdf5Handle str;
        hid_t member = -1;
        switch (c.type) {
            case ColumnType::float64: member = for_file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE; break;
            case ColumnType::int64: member = for_file ? H5T_STD_I64LE : H5T_NATIVE_INT64; break;
            case ColumnType::text:
                str = text(c.text_width);
                member = str.get();
                break;
        }
        Hdf5Error::check(H5Tinsert(t.get(), c.name.c_str(), schema.offset(i), member),
                         "adding column '" + c.name + "' to a compound type");
    }
    return t;
}

TableSchema Hdf5Types::schema_of(std::int64_t compound_type) {
    if (H5Tget_class(compound_type) != H5T_COMPOUND) throw Hdf5Error("HDF5: the dataset is not a compound table");
    const int n = static_cast<int>(Hdf5Error::check(H5Tget_nmembers(compound_type), "counting table columns"));
    TableSchema schema;
    for (int i = 0; i < n; ++i) {
        const auto idx = static_cast<unsigned>(i);
        std::unique_ptr<char, herr_t (*)(void*)> name(H5Tget_member_name(compound_type, idx), H5free_memory);
        if (!name) Hdf5Error::raise("reading a column name");
        auto member = Hdf5Handle::checked(H5Tget_member_type(compound_type, idx), "reading a column type");
        switch (H5Tget_class(member.get())) {
            case H5T_FLOAT: schema.add_float64(name.get()); break;
            case H5T_INTEGER: schema.add_int64(name.get()); break;
            case H5T_STRING: {
                const htri_t var = Hdf5Error::check(H5Tis_variable_str(member.get()), "inspecting a string column");
                schema.add_text(name.get(), var > 0 ? 0 : H5Tget_size(member.get()));
                break;
            }
            default: throw Hdf5Error("HDF5: column '" + std::string(name.get()) + "' has a type salesflow cannot read");
        }
    }
    return schema;
}

std::vector<std::string> Hdf5Types::read_strings(std::int64_t stored_type, std::size_t count,
                                                 const std::function<int(std::int64_t, void*)>& read) {
    std::vector<std::string> out;
    if (count == 0) return out;  // HDF5 rejects reads into an empty buffer
    out.reserve(count);
    // The memory type keeps the stored character set: HDF5 refuses to convert between
    // ASCII and UTF-8 strings, and both are read the same way into std::string.
    const H5T_cset_t cset = H5Tget_cset(stored_type);
    auto mem = Hdf5Handle::checked(H5Tcopy(H5T_C_S1), "copying the string type");
    const htri_t var = Hdf5Error::check(H5Tis_variable_str(stored_type), "inspecting a string type");
    if (var > 0) {
        Hdf5Error::check(H5Tset_size(mem.get(), H5T_VARIABLE), "making a variable-length string type");
        Hdf5Error::check(H5Tset_cset(mem.get(), cset), "setting the character set");
        std::vector<char*> cells(count, nullptr);
        const int rc = read(mem.get(), cells.data());
        // HDF5 allocated each string; free them all, also when the read failed half-way.
        auto free_all = [&] {
            for (char* p : cells)
                if (p) H5free_memory(p);
        };
        if (rc < 0) {
            free_all();
            Hdf5Error::raise("reading strings");
        }
        for (char* p : cells) out.emplace_back(p ? p : "");
        free_all();
        return out;
    }
    const std::size_t width = H5Tget_size(stored_type);
    const H5T_str_t pad = H5Tget_strpad(stored_type);
    Hdf5Error::check(H5Tset_size(mem.get(), width), "sizing a string type");
    Hdf5Error::check(H5Tset_cset(mem.get(), cset), "setting the character set");
    Hdf5Error::check(H5Tset_strpad(mem.get(), pad), "setting string padding");
    std::vector<char> buf(count * width);
    if (read(mem.get(), buf.data()) < 0) Hdf5Error::raise("reading strings");
    for (std::size_t i = 0; i < count; ++i) {
        const char* s = buf.data() + i * width;
        std::size_t n = 0;
        while (n < width && s[n] != '\0') ++n;  // null padded / terminated: up to the first NUL
        if (pad == H5T_STR_SPACEPAD)
            while (n > 0 && s[n - 1] == ' ') --n;
        out.emplace_back(s, n);
    }
    return out;
}

}  // namespace salesflow::output
