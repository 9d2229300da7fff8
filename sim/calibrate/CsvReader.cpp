#include "calibrate/CsvReader.hpp"

#include <cerrno>
#include <cstring>

#include "input/InputError.hpp"

namespace salesflow::calibrate {

namespace {
constexpr std::size_t block = 1 << 20;
}

CsvReader::CsvReader(const std::string& path) : path_(path), buffer_(block) {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) {
        input::Diagnostic d;
        d.file = path;
        d.message = std::string("cannot read the export: ") + std::strerror(errno);
        throw input::InputError({d});
    }
}

CsvReader::~CsvReader() {
    if (file_) std::fclose(file_);
}

bool CsvReader::fill() {
    if (!file_) return false;
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    pos_ = 0;
    return end_ > 0;
}

int CsvReader::peek() {
    if (pos_ >= end_ && !fill()) return EOF;
    return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::get() {
    const int c = peek();
    if (c == EOF) return EOF;
    ++pos_;
    ++consumed_;
    if (c == '\n') {
        ++line_;
        column_ = 1;
    } else {
        ++column_;
    }
    return c;
}

void CsvReader::fail(int line, int column, const std::string& message) const {
    input::Diagnostic d;
    d.file = path_;
    d.line = line;
    d.column = column;
    d.message = message;
    throw input::InputError({d});
}

bool CsvReader::next(CsvRecord& record) {
    if (first_) {
        first_ = false;
        // A UTF-8 byte order mark is not part of the first field.
        if (peek() == 0xEF) {
            get();
            if (get() != 0xBB || get() != 0xBF) fail(1, 1, "not a UTF-8 text file (a broken byte order mark)");
            column_ = 1;
        }
    }
    std::size_t nfields = 0;
    auto field = [&]() -> CsvField& {
        if (record.fields.size() <= nfields) record.fields.emplace_back();
        CsvField& f = record.fields[nfields];
        f.text.clear();
        f.line = line_;
        f.column = column_;
        return f;
    };
    for (;;) {
        // Skip blank lines (LF or CRLF) between records.
        int c = peek();
        if (c == EOF) {
            record.fields.resize(0);
            return false;
        }
        if (c == '\n') { get(); continue; }
        if (c == '\r') {
            get();
            if (peek() == '\n') get();
            continue;
        }
        break;
    }
    record.line = line_;
    std::size_t bytes = 0;
    for (;;) {
        CsvField& f = field();
        ++nfields;
        int c = peek();
        if (c == '"') {
            const int qline = line_, qcol = column_;
            get();
            for (;;) {
                c = get();
                if (c == EOF) fail(qline, qcol, "this quoted field is never closed (missing '\"')");
                if (c == 0) fail(line_, column_ - 1, "not a text file (a NUL byte)");
                if (c == '"') {
                    if (peek() == '"') {
                        get();
                        f.text.push_back('"');
                        continue;
                    }
                    break;
                }
                f.text.push_back(static_cast<char>(c));
                if (++bytes > max_record_bytes) fail(record.line, 1, "a record longer than 1 MiB (not a CSV export?)");
            }
            c = peek();
            if (c == '\r') {
                get();
                c = peek();
                if (c != '\n' && c != EOF) fail(line_, column_, "a stray carriage return after a quoted field");
            }
            if (c != ',' && c != '\n' && c != EOF)
                fail(line_, column_, "text after the closing quote of a field, got '" + std::string(1, static_cast<char>(c)) + "'");
        } else {
            for (;;) {
                c = peek();
                if (c == ',' || c == '\n' || c == EOF) break;
                if (c == '\r') {
                    get();
                    if (peek() == '\n' || peek() == EOF) { c = peek(); break; }
                    f.text.push_back('\r');
                    continue;
                }
                if (c == 0) fail(line_, column_, "not a text file (a NUL byte)");
                if (c == '"') fail(line_, column_, "a quote inside an unquoted field (quote the whole field and double the quote)");
                get();
                f.text.push_back(static_cast<char>(c));
                if (++bytes > max_record_bytes) fail(record.line, 1, "a record longer than 1 MiB (not a CSV export?)");
            }
        }
        c = peek();
        if (c == ',') {
            get();
            continue;
        }
        if (c == '\n') get();
        break;
    }
    record.fields.resize(nfields);
    return true;
}

}  // namespace salesflow::calibrate
