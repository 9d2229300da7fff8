#pragma once
// FieldTable<Config>: the keys of one map of the scenario, each declared once with its
// name, kind, admissible range, default (as documented), destination and documentation.
// The same declaration gives the list of allowed keys (unknown keys are reported with a
// suggestion), the reading and checking of each value, and, for sweeps, a check of one
// value on its own (FieldTable::check_value) that needs no scenario around it.
//
// Simple keys write straight into a member of Config (integer, number, duration, rate,
// text, distribution). Keys whose meaning depends on other keys (warmup < horizon,
// references to stage names, ...) are declared with a reader of their own (custom); they
// are still listed, documented and read in declaration order from the same table.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "input/ConfigNode.hpp"
#include "input/Diagnostics.hpp"
#include "input/DistributionReader.hpp"
#include "input/MapReader.hpp"
#include "input/Range.hpp"
#include "input/TextUtil.hpp"
#include "input/ValueReader.hpp"
#include "kernel/DistributionSpec.hpp"

namespace salesflow::input {

enum class FieldKind { text, name, integer, unsigned64, number, duration, rate, distribution, map, list, other };

class ScenarioBuilder;

// What a field's reader may use: typed scalar readers, the distribution reader, the
// problem list and, for keys whose meaning depends on the rest of the scenario, the
// builder reading it (null when a value is checked alone).
struct FieldReaders {
    ValueReader& values;
    DistributionReader& dists;
    Diagnostics& diags;
    ScenarioBuilder* builder = nullptr;
};

template <class Config>
class FieldTable {
public:
    using Reader = std::function<void(FieldReaders&, const ConfigNode& value, const std::string& path, Config& out)>;

    struct Field {
        std::string key;
        FieldKind kind = FieldKind::other;
        bool required = false;
        // The value's validity depends on nothing but the value itself (its kind and
        // range): a sweep may then check each value alone, whatever the other values.
        bool independent = false;
        Range range;                      // number, duration
        std::int64_t lo = 0, hi = 0;      // integer
        std::string default_text;         // as documented ("" for required keys or none)
        std::string doc;
        Reader read;                      // empty: the key is handled by the caller
    };

    // `what` names the map in "must be a map" messages; empty: "a map with the keys ...".
    explicit FieldTable(std::string what = {}) : what_(std::move(what)) {}

    // -- declarations; each returns the table, and required() marks the last field.
    FieldTable& integer(std::string key, std::int64_t lo, std::int64_t hi, int Config::*member, std::string default_text,
                        std::string doc) {
        Field f = make(std::move(key), FieldKind::integer, std::move(default_text), std::move(doc));
        f.lo = lo;
        f.hi = hi;
        f.independent = true;
        f.read = [lo, hi, member](FieldReaders& r, const ConfigNode& v, const std::string& p, Config& out) {
            if (const auto x = r.values.integer(v, p, lo, hi)) out.*member = static_cast<int>(*x);
        };
        return add(std::move(f));
    }
    FieldTable& unsigned64(std::string key, std::uint64_t Config::*member, std::string default_text, std::string doc) {
        Field f = make(std::move(key), FieldKind::unsigned64, std::move(default_text), std::move(doc));
        f.independent = true;
        f.read = [member](FieldReaders& r, const ConfigNode& v, const std::string& p, Config& out) {
            if (const auto x = r.values.unsigned64(v, p)) out.*member = *x;
        };
        return add(std::move(f));
    }
    FieldTable& number(std::string key, const Range& range, double Config::*member, std::string default_text,
                       std::string doc) {
        Field f = make(std::move(key), FieldKind::number, std::move(default_text), std::move(doc));
        f.range = range;
        f.independent = true;
        f.read = [range, member](FieldReaders& r, const ConfigNode& v, const std::string& p, Config& out) {
            if (const auto x = r.values.number(v, p, range)) out.*member = *x;
        };
        return add(std::move(f));
    }
    FieldTable& duration(std::string key, const Range& range, double Config::*member, std::string default_text,
                         std::string doc) {
        Field f = make(std::move(key), FieldKind::duration, std::move(default_text), std::move(doc));
        f.range = range;
        f.independent = true;
        f.read = [range, member](FieldReaders& r, const ConfigNode& v, const std::string& p, Config& out) {
            if (const auto x = r.values.duration(v, p, range)) out.*member = *x;
        };
        return add(std::move(f));
    }
    FieldTable& distribution(std::string key, QuantityKind quantity, kernel::DistributionSpec Config::*member,
                             std::string default_text, std::string doc) {
        Field f = make(std::move(key), FieldKind::distribution, std::move(default_text), std::move(doc));
        f.read = [quantity, member](FieldReaders& r, const ConfigNode& v, const std::string& p, Config& out) {
            if (auto d = r.dists.read(v, p, quantity)) out.*member = std::move(*d);
        };
        return add(std::move(f));
    }
    // A key read by `read`, which may look at other keys already read (they come earlier
    // in the table) or at the builder's state.
    FieldTable& custom(std::string key, FieldKind kind, std::string default_text, std::string doc, Reader read) {
        Field f = make(std::move(key), kind, std::move(default_text), std::move(doc));
        f.read = std::move(read);
        return add(std::move(f));
    }
    // A word from a fixed list, stored as the enum value of the same index ("unknown
    // `noun` 'x' (did you mean ...)" otherwise).
    template <class Enum>
    FieldTable& choice(std::string key, std::vector<std::string> words, std::string noun, Enum Config::*member,
                       std::string default_text, std::string doc) {
        Field f = make(std::move(key), FieldKind::text, std::move(default_text), std::move(doc));
        f.independent = true;
        f.read = [words = std::move(words), noun = std::move(noun), member](FieldReaders& r, const ConfigNode& v,
                                                                             const std::string& p, Config& out) {
            const auto t = r.values.text(v, p);
            if (!t) return;
            for (std::size_t i = 0; i < words.size(); ++i)
                if (words[i] == *t) {
                    out.*member = static_cast<Enum>(i);
                    return;
                }
            r.values.error(v.pos(), p, "unknown " + noun + " " + quote(*t) + suggestion(*t, words));
        };
        return add(std::move(f));
    }
    // An allowed key that the caller reads itself (a list item's `name`, `remove`).
    FieldTable& handled(std::string key, FieldKind kind, std::string doc) {
        return add(make(std::move(key), kind, {}, std::move(doc)));
    }
    FieldTable& required() {
        fields_.back().required = true;
        return *this;
    }
    // The last (custom) field's validity depends on its value alone.
    FieldTable& independent() {
        fields_.back().independent = true;
        return *this;
    }
    // The last field's validity depends on other keys too (a cross-field check reads it).
    FieldTable& coupled() {
        fields_.back().independent = false;
        return *this;
    }

    // -- use
    const std::vector<Field>& fields() const { return fields_; }
    const std::string& what() const { return what_; }
    const std::vector<std::string>& keys() const { return keys_; }
    const Field* find(std::string_view key) const {
        for (const auto& f : fields_)
            if (f.key == key) return &f;
        return nullptr;
    }

    // A reader for `node` at `path` that knows the allowed keys (reports unknown keys and
    // a value that is not a map, once).
    MapReader map(const ConfigNode& node, std::string path, Diagnostics& diags) const {
        return MapReader(node, std::move(path), keys(), diags, what_);
    }

    // Reads every declared key of `m` into `out`, in declaration order: a missing
    // required key is reported; an absent or empty optional key keeps the default.
    void read(const MapReader& m, FieldReaders& r, Config& out) const {
        if (!m.is_map()) return;
        for (const auto& f : fields_) {
            if (!f.read) continue;
            const ConfigNode* v = f.required ? m.require(f.key) : m.get(f.key);
            if (v) f.read(r, *v, m.path(f.key), out);
        }
    }

    // For an independent field: checks `value` alone, as it would be read, reporting into
    // `r`. Returns false when the field is not independent (the caller must then check
    // the value in a whole scenario).
    bool check_value(std::string_view key, const ConfigNode& value, const std::string& path, FieldReaders& r) const {
        const Field* f = find(key);
        if (!f || !f->independent || !f->read) return false;
        Config scratch{};
        if (value.is_null()) {
            if (f->required) r.diags.add(value.pos(), path, "required key '" + std::string(key) + "' has no value");
            return true;
        }
        f->read(r, value, path, scratch);
        return true;
    }

private:
    static Field make(std::string key, FieldKind kind, std::string default_text, std::string doc) {
        Field f;
        f.key = std::move(key);
        f.kind = kind;
        f.default_text = std::move(default_text);
        f.doc = std::move(doc);
        return f;
    }
    FieldTable& add(Field f) {
        keys_.push_back(f.key);
        fields_.push_back(std::move(f));
        return *this;
    }

    std::string what_;
    std::vector<Field> fields_;
    std::vector<std::string> keys_;
};

}  // namespace salesflow::input
