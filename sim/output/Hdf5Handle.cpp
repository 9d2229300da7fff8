#include "output/Hdf5Handle.hpp"

#include "output/Hdf5Error.hpp"

#include <hdf5.h>

#include <type_traits>

namespace salesflow::output {

static_assert(std::is_same_v<hid_t, std::int64_t>, "Hdf5Handle stores hid_t as std::int64_t (HDF5 >= 1.10)");

namespace {

// One close function for every kind of id: the kind is asked from the library, so a
// handle never needs to be told what it holds. An id that is no longer valid (its file
// was closed with H5F_CLOSE_STRONG, which closes every object in it) is left alone.
herr_t close_id(hid_t id) {
    if (H5Iis_valid(id) <= 0) return 0;
    switch (H5Iget_type(id)) {
        case H5I_FILE: return H5Fclose(id);
        case H5I_GROUP: return H5Gclose(id);
        case H5I_DATASET: return H5Dclose(id);
        case H5I_ATTR: return H5Aclose(id);
        case H5I_DATATYPE: return H5Tclose(id);
        case H5I_DATASPACE: return H5Sclose(id);
        case H5I_GENPROP_LST: return H5Pclose(id);
        default: return H5Idec_ref(id) < 0 ? -1 : 0;
    }
}

}  // namespace

Hdf5Handle Hdf5Handle::checked(std::int64_t id, std::string_view what) {
    Hdf5Error::check(id, what);
    return Hdf5Handle(id);
}

void Hdf5Handle::reset() noexcept {
    if (id_ < 0) return;
    if (close_id(id_) < 0) H5Eclear2(H5E_DEFAULT);
    id_ = -1;
}

void Hdf5Handle::close() {
    if (id_ < 0) return;
    const hid_t id = std::exchange(id_, -1);
    if (close_id(id) < 0) Hdf5Error::raise("closing an HDF5 object");
}

}  // namespace salesflow::output
