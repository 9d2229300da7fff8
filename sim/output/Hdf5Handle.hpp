#pragma once
// Hdf5Handle: sole ownership of one HDF5 identifier (file, group, dataset, attribute,
// datatype, dataspace or property list). It models RAII for the HDF5 C API: whatever
// happens, including exceptions, the identifier is closed exactly once.
// The id is HDF5's hid_t (a 64-bit integer in HDF5 >= 1.10); this header does not
// include hdf5.h so that users of salesflow::output do not need HDF5's headers.
#include <cstdint>
#include <string_view>
#include <utility>

namespace salesflow::output {

class Hdf5Handle {
public:
    Hdf5Handle() noexcept = default;
    explicit Hdf5Handle(std::int64_t id) noexcept : id_(id) {}
    // Takes ownership of `id`, or raises Hdf5Error(what) if the call that made it failed.
    static Hdf5Handle checked(std::int64_t id, std::string_view what);

    Hdf5Handle(Hdf5Handle&& o) noexcept : id_(std::exchange(o.id_, -1)) {}
    Hdf5Handle& operator=(Hdf5Handle&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, -1);
        }
        return *this;
    }
    Hdf5Handle(const Hdf5Handle&) = delete;
    Hdf5Handle& operator=(const Hdf5Handle&) = delete;
    ~Hdf5Handle() { reset(); }

    std::int64_t get() const noexcept { return id_; }
    explicit operator bool() const noexcept { return id_ >= 0; }
    std::int64_t release() noexcept { return std::exchange(id_, -1); }

    void reset() noexcept;  // closes, ignoring errors (for destructors and unwinding)
    void close();           // closes, raising Hdf5Error on failure (e.g. a failed flush)

private:
    std::int64_t id_ = -1;
};

}  // namespace salesflow::output
