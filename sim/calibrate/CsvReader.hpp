#pragma once
// CsvReader: a streaming reader of CSV exports (RFC 4180 with the usual liberties) in
// bounded memory: the file is read in 1 MiB blocks and only the current record is kept.
// Handles a UTF-8 byte order mark, CRLF or LF line ends, quoted fields with embedded
// commas, doubled quotes and line breaks, and blank lines (skipped). Every field
// remembers the line and byte column where it starts, for messages.
#include <cstdio>
#include <string>
#include <vector>

namespace salesflow::calibrate {

struct CsvField {
    std::string text;
    int line = 0;    // 1-based line where the field starts
    int column = 0;  // 1-based byte column of the field's first character
};

struct CsvRecord {
    std::vector<CsvField> fields;
    int line = 0;   // line where the record starts
    std::size_t size() const { return fields.size(); }
};

class CsvReader {
public:
    // Longest record accepted (a binary file or a missing closing quote would otherwise
    // make one record of the whole file).
    static constexpr std::size_t max_record_bytes = 1 << 20;

    // Opens `path`; throws input::InputError when it cannot be read.
    explicit CsvReader(const std::string& path);
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    // The next non-blank record; false at the end of the file. Throws input::InputError
    // (FILE:LINE:COLUMN) on an unterminated quote, a quote inside an unquoted field, a
    // record longer than max_record_bytes or a NUL byte (not a text file).
    bool next(CsvRecord& record);

    const std::string& path() const { return path_; }
    std::size_t bytes_read() const { return consumed_; }

private:
    int get();      // next byte or EOF
    int peek();
    bool fill();
    [[noreturn]] void fail(int line, int column, const std::string& message) const;

    std::string path_;
    std::FILE* file_ = nullptr;
    std::vector<char> buffer_;
    std::size_t pos_ = 0, end_ = 0;
    std::size_t consumed_ = 0;
    int line_ = 1;
    int column_ = 1;   // column of the next byte
    bool first_ = true;
};

}  // namespace salesflow::calibrate
