#pragma once
// SweepJournal: a sweep's progress, durable item by item. Beside the results file
// OUT lives the hidden file `.OUT.journal` (docs/results-format.md, "Sweep journal"):
// a header (format, identity of the sweep, number of metrics, the base it continues)
// and one fixed-size record per completed item (item number, its metrics, a checksum),
// appended with one write(2) as the item is emitted. A process killed in any way loses
// at most the items it had not emitted yet; the cost of an item does not grow with the
// file. The journal is synced to disk at intervals (SALESFLOW_CHECKPOINT_SECONDS,
// default 10) and removed once the results file it extends has been committed.
//
// Base: -1 when the sweep started afresh (the results file, if any, is not part of
// it), else the number of items the committed results file held when the journal
// began. Records follow in item order from the base (0 when -1).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>

namespace salesflow::app {

class SweepJournal {
public:
    struct Header {
        std::uint64_t identity = 0;
        std::uint64_t metrics = 0;
        std::int64_t base = -1;
    };

    static std::filesystem::path path_for(const std::filesystem::path& target);

    // A new, empty journal (replacing any), synced.
    static SweepJournal create(const std::filesystem::path& target, const Header& header);
    // The header of an existing journal, or nullopt when there is none or it is not a
    // journal (a foreign or torn header).
    static std::optional<Header> read_header(const std::filesystem::path& target);
    // Calls `record` for each valid record in order, stopping at the first torn or
    // corrupt one (what follows it is not trusted); returns how many were valid.
    static long long replay(const std::filesystem::path& target, const Header& header,
                            const std::function<void(long long item, std::span<const double> metrics)>& record);
    // Reopens an existing journal for appending after its first `valid` records (a torn
    // tail is cut off).
    static SweepJournal append_to(const std::filesystem::path& target, const Header& header, long long valid);

    SweepJournal(SweepJournal&& o) noexcept;
    SweepJournal& operator=(SweepJournal&& o) noexcept;
    SweepJournal(const SweepJournal&) = delete;
    ~SweepJournal();

    // One record, written at once; throws std::system_error when it cannot be written.
    void append(long long item, std::span<const double> metrics);
    void sync();     // fdatasync
    void remove();   // closes and deletes the journal (after the commit it was for)

    // FNV-1a (64-bit) of a text: the identity of a sweep in the header.
    static std::uint64_t hash(std::string_view text, std::uint64_t seed = 1469598103934665603ULL);

private:
    SweepJournal() = default;
    int fd_ = -1;
    std::filesystem::path path_;
    std::string buffer_;
};

}  // namespace salesflow::app
