import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tokenizer and typed-column builder behind ``CSVTable``.
///
/// Hot loop: every byte of the file passes through ``tokenizeRow``, every requested field through one of
/// ``FieldParsers``. Both work on raw pointers into the file's bytes, measured by
/// `Benchmarks/Benchmarks/CSVReading` (see Docs/benchmarks.md).
struct CSVParser {
    let path: String
    let format: CSVFormat

    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// Bytes per parallel chunk. Fixed, so chunk boundaries depend on the file alone.
    static let chunkBytes = 4 << 20

    /// The header names, the byte offset where data starts and the number of lines the header took.
    func header(bytes: inout [UInt8]) throws(DataError) -> (names: [String], dataStart: Int, lines: Int) {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }  // UTF-8 BOM
        if !format.hasHeader {
            guard !format.columnNames.isEmpty else {
                throw .invalidFormat(path: path, reason: "a file without a header needs column names")
            }
            return (format.columnNames, start, 0)
        }
        if start >= bytes.count { throw .emptyFile(path: path) }
        let count = bytes.count
        let result: (names: [String], next: Int, lines: Int)? = try bytes.withUnsafeMutableBufferPointer {
            (buffer) throws(DataError) -> (names: [String], next: Int, lines: Int)? in
            guard let base = buffer.baseAddress else { return nil }
            let capacity = 1 << 14
            let starts = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            let ends = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            defer {
                starts.deallocate()
                ends.deallocate()
            }
            var lines = 0
            var row = RowFields(starts: starts, ends: ends, capacity: capacity)
            let next = try tokenizeRow(base: base, at: start, end: count, fields: &row, lines: &lines, rowLine: 1)
            let n = Swift.min(row.count, capacity)
            let names = (0..<n).map { k in
                String(decoding: UnsafeBufferPointer(start: base + starts[k], count: ends[k] - starts[k]), as: UTF8.self)
            }
            return (names, next, lines)
        }
        guard let result, !(result.names.count == 1 && result.names[0].isEmpty) else { throw .emptyFile(path: path) }
        return (result.names, result.next, result.lines)
    }

    struct ParsedColumns {
        var rowCount: Int
        var columns: [CSVTable.Column]
        var skipped = SkippedRows()
        /// Lenient reads: the 1-based file line of every kept row.
        var rowLines: [Int]?
    }

    /// Per-chunk output: one builder per requested column, the number of rows and lines seen, and the
    /// first error in the chunk.
    struct ChunkResult {
        var rows = 0
        var lines = 0
        var strings: [[String]]
        var doubles: [[Double]]
        var integers: [[Int]]
        var days: [[Int32]]
        var identifiers: [IdentifierInterner.ChunkFields]
        var categories: [CategoryInterner.ChunkFields]
        var error: DataError?
        /// An error whose line is relative to the chunk start; resolved after all chunks finish.
        var localError: (line: Int, make: (Int) -> DataError)?
        /// Skipped rows by reason (lenient reads): count, and the first one's chunk-relative line and error.
        var skipped: [String: (count: Int, line: Int, make: (Int) -> DataError)] = [:]
        /// Reasons in order of first occurrence in the chunk.
        var skippedOrder: [String] = []
        /// Lenient reads: the chunk-relative line of every kept row (rows no longer map to lines by counting).
        var rowLines: [Int32] = []

        mutating func skip(_ reason: String, line: Int, _ make: @escaping (Int) -> DataError) {
            if let entry = skipped[reason] {
                skipped[reason] = (entry.count + 1, entry.line, entry.make)
            } else {
                skipped[reason] = (1, line, make)
                skippedOrder.append(reason)
            }
        }

        init(slots: [Int]) {
            let n = slots.count
            strings = Array(repeating: [], count: n)
            doubles = Array(repeating: [], count: n)
            integers = Array(repeating: [], count: n)
            days = Array(repeating: [], count: n)
            identifiers = Array(repeating: IdentifierInterner.ChunkFields(), count: n)
            categories = Array(repeating: CategoryInterner.ChunkFields(), count: n)
        }
    }

    func parseRows(
        bytes: inout [UInt8], from dataStart: Int, lineOffset: Int, fieldCount: Int, specs: [ColumnSpec],
        fieldIndex: [Int], badRows: BadRowPolicy = .fail
    ) throws(DataError) -> ParsedColumns {
        let count = bytes.count
        // Chunk boundaries: only for files without quotes, each moved forward to just after a newline.
        var boundaries = [dataStart]
        let hasQuote = bytes.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress, dataStart < count else { return false }
            return memchr(base + dataStart, Int32(CSVParser.quote), count - dataStart) != nil
        }
        if !hasQuote && count - dataStart > CSVParser.chunkBytes {
            var next = dataStart + CSVParser.chunkBytes
            while next < count {
                while next < count && bytes[next - 1] != CSVParser.newline { next += 1 }
                if next < count { boundaries.append(next) }
                next += CSVParser.chunkBytes
            }
        }
        boundaries.append(count)
        let chunkCount = boundaries.count - 1
        var results = [ChunkResult?](repeating: nil, count: chunkCount)
        let boundariesCopy = boundaries
        // Category values are interned from the file's bytes after the parse; identifiers only when longer than 16.
        let categories = specs.contains { $0.type == .category }
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            nonisolated(unsafe) let base0 = base
            results.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out0 = out
                DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
                    let result = parseChunk(
                        base: base0, from: boundariesCopy[c], to: boundariesCopy[c + 1], fieldCount: fieldCount,
                        specs: specs, fieldIndex: fieldIndex, skip: badRows == .skip)
                    if !categories && !result.identifiers.contains(where: \.readsFile) {
                        Self.release(base0 + boundariesCopy[c], count: boundariesCopy[c + 1] - boundariesCopy[c])
                    }
                    out0[c] = result
                }
            }
        }
        // First error in file order, with its absolute line; skipped rows merged in chunk order.
        var linesBefore = lineOffset
        var skipped = SkippedRows()
        var rowLines: [Int]? = badRows == .skip ? [] : nil
        for result in results {
            guard let result else { continue }
            if rowLines != nil {
                let before = linesBefore
                rowLines?.append(contentsOf: result.rowLines.lazy.map { before + Int($0) })
            }
            if let local = result.localError { throw local.make(linesBefore + local.line) }
            for reason in result.skippedOrder {
                guard let entry = result.skipped[reason] else { continue }
                let line = linesBefore + entry.line
                skipped.add(
                    SkippedRows.Reason(reason: reason, count: entry.count, first: entry.make(line).description, firstLine: line))
            }
            linesBefore += result.lines
        }
        var chunks = results.compactMap { $0 }
        results = []  // `chunks` now holds the only reference, so merge can free each chunk's column once copied
        var parsed = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return ParsedColumns(rowCount: 0, columns: []) }
            return merge(&chunks, specs: specs, base: base)
        }
        parsed.rowLines = rowLines
        parsed.skipped = skipped
        return parsed
    }

    /// Gives the whole pages inside `base[0..<count]` back to the system (Linux `MADV_DONTNEED`; elsewhere nothing):
    /// a parsed chunk's bytes that nothing reads again — its values are parsed, its identifiers held whole in their
    /// records — so the file's bytes leave memory as the parse goes instead of staying to the end (1M-row customer
    /// file of 112 MB: peak 310 → 200 MB). The pages read as zeros afterwards; the pages a chunk shares with its
    /// neighbours are kept.
    static func release(_ base: UnsafeMutablePointer<UInt8>, count: Int) {
        #if os(Linux)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0, count >= 2 * page else { return }
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + count) / page * page
        if end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(pointer, end - start, MADV_DONTNEED)
        }
        #endif
    }

    /// Concatenates the chunks' columns in chunk order. Each chunk's part of a column is released as soon as it is
    /// copied, so the merge holds one column twice at most, not the whole table (1M rows × 9 columns: 64 MB less).
    private func merge(_ chunks: inout [ChunkResult], specs: [ColumnSpec], base: UnsafePointer<UInt8>) -> ParsedColumns {
        let rows = chunks.reduce(0) { $0 + $1.rows }
        var columns: [CSVTable.Column] = []
        /// Moves the parts of one column out of the chunks into a single array.
        func concatenate<T>(_ part: WritableKeyPath<ChunkResult, [[T]]>, _ j: Int) -> [T] {
            if chunks.count == 1 { return chunks[0][keyPath: part][j] }
            var all: [T] = []
            all.reserveCapacity(rows)
            for c in chunks.indices {
                all.append(contentsOf: chunks[c][keyPath: part][j])
                chunks[c][keyPath: part][j] = []
            }
            return all
        }
        for (j, spec) in specs.enumerated() {
            switch spec.type {
            case .string:
                columns.append(.strings(concatenate(\.strings, j)))
            case .double:
                columns.append(.doubles(concatenate(\.doubles, j)))
            case .integer:
                columns.append(.integers(concatenate(\.integers, j)))
            case .date:
                columns.append(.days(concatenate(\.days, j)))
            case .identifier:
                var offsets: [Int] = []
                var running = 0
                for chunk in chunks {
                    offsets.append(running)
                    running += chunk.identifiers[j].count
                }
                columns.append(
                    .identifiers(
                        IdentifierInterner.column(
                            base: base, chunks: chunks.map { $0.identifiers[j] }, chunkRowOffsets: offsets, rows: rows)))
            case .category:
                columns.append(
                    .identifiers(CategoryInterner.column(base: base, chunks: chunks.map { $0.categories[j] }, rows: rows)))
            }
        }
        return ParsedColumns(rowCount: rows, columns: columns)
    }

    /// Parses the rows in `base[from..<to]` (which starts at a line start).
    func parseChunk(
        base: UnsafeMutablePointer<UInt8>, from: Int, to: Int, fieldCount: Int, specs: [ColumnSpec],
        fieldIndex: [Int], skip: Bool = false
    ) -> ChunkResult {
        var result = ChunkResult(slots: fieldIndex)
        let estimate = Swift.max(16, (to - from) / 24)
        for (j, spec) in specs.enumerated() {
            switch spec.type {
            case .string: result.strings[j].reserveCapacity(estimate)
            case .double: result.doubles[j].reserveCapacity(estimate)
            case .integer: result.integers[j].reserveCapacity(estimate)
            case .date: result.days[j].reserveCapacity(estimate)
            case .identifier: result.identifiers[j].reserve(estimate)
            case .category: result.categories[j].reserve(estimate)
            }
        }
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, fieldCount))
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(1, fieldCount))
        defer {
            starts.deallocate()
            ends.deallocate()
        }
        var lines = 0
        var position = from
        let path = self.path
        while position < to {
            let rowLine = lines + 1
            var row = RowFields(starts: starts, ends: ends, capacity: fieldCount)
            let next: Int
            do {
                next = try tokenizeRow(base: base, at: position, end: to, fields: &row, lines: &lines, rowLine: rowLine)
            } catch {
                let failure = error
                result.localError = (rowLine, { line in failure.relocated(toLine: line) })
                result.lines = lines
                return result
            }
            position = next
            if row.isBlank { continue }
            if row.count != fieldCount {
                let found = row.count
                let make: (Int) -> DataError = { line in
                    .malformedRow(
                        path: path, line: line, column: found > fieldCount ? fieldCount + 1 : found,
                        reason: "expected \(fieldCount) fields, found \(found)")
                }
                if skip {
                    result.skip("wrong number of fields", line: rowLine, make)
                    continue
                }
                result.localError = (rowLine, make)
                result.lines = lines
                return result
            }
            var rowIsBad = false
            for j in 0..<specs.count {
                let f = fieldIndex[j]
                let s = starts[f]
                let length = ends[f] - s
                let p = UnsafePointer(base + s)
                var ok = true
                var expected = ""
                switch specs[j].type {
                case .double:
                    if let v = FieldParsers.double(p, length), !(specs[j].nonNegative && v < 0) {
                        result.doubles[j].append(v)
                    } else if length == 0, let blank = specs[j].blankValue {
                        result.doubles[j].append(blank)
                    } else {
                        ok = false
                        expected = specs[j].nonNegative ? "a non-negative number" : "a number"
                    }
                case .integer:
                    if let v = FieldParsers.integer(p, length) { result.integers[j].append(v) } else {
                        ok = false
                        expected = "an integer"
                    }
                case .date:
                    if length >= 8, let v = FieldParsers.date(p, length) { result.days[j].append(v) } else {
                        ok = false
                        expected = "a date (YYYY-MM-DD or YYYYMMDD)"
                    }
                case .identifier:
                    if length == 0 && !specs[j].allowsEmpty {
                        ok = false
                        expected = "a non-empty identifier"
                    } else {
                        result.identifiers[j].append(base: base, start: s, length: length)
                    }
                case .category:
                    if length == 0 && !specs[j].allowsEmpty {
                        ok = false
                        expected = "a non-empty value"
                    } else {
                        result.categories[j].append(base: base, start: s, length: length)
                    }
                case .string:
                    result.strings[j].append(
                        String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self))
                }
                if !ok {
                    let text = String(decoding: UnsafeBufferPointer(start: p, count: length), as: UTF8.self)
                    let name = specs[j].name
                    let expectedText = expected
                    let make: (Int) -> DataError = { line in
                        .invalidValue(
                            path: path, line: line, column: f + 1, columnName: name, text: text,
                            expected: expectedText)
                    }
                    if skip {
                        // Undo the fields of this row already appended, so every column keeps one value per row.
                        result.removeLast(specs: specs, upTo: j)
                        result.skip("column '\(name)': not \(expectedText)", line: rowLine, make)
                        rowIsBad = true
                        break
                    }
                    result.localError = (rowLine, make)
                    result.lines = lines
                    return result
                }
            }
            if rowIsBad { continue }
            if skip { result.rowLines.append(Int32(rowLine)) }
            result.rows += 1
        }
        result.lines = lines
        return result
    }
}

extension CSVParser.ChunkResult {
    /// Removes the last value of the columns `0..<j` (a row found bad at column `j` in a lenient read).
    mutating func removeLast(specs: [ColumnSpec], upTo j: Int) {
        for k in 0..<j {
            switch specs[k].type {
            case .string: strings[k].removeLast()
            case .double: doubles[k].removeLast()
            case .integer: integers[k].removeLast()
            case .date: days[k].removeLast()
            case .identifier: identifiers[k].removeLast()
            case .category: categories[k].removeLast()
            }
        }
    }
}

/// The fields of one row: byte ranges `starts[k]..<ends[k]` into the file buffer, in storage owned by the
/// caller (allocated for the whole chunk loop).
struct RowFields {
    let starts: UnsafeMutablePointer<Int>
    let ends: UnsafeMutablePointer<Int>
    let capacity: Int
    var count = 0
    var isBlank = false

    init(starts: UnsafeMutablePointer<Int>, ends: UnsafeMutablePointer<Int>, capacity: Int) {
        self.starts = starts
        self.ends = ends
        self.capacity = capacity
    }

    mutating func append(_ start: Int, _ end: Int) {
        if count < capacity {
            starts[count] = start
            ends[count] = end
        }
        count += 1
    }
}

extension CSVParser {
    /// Splits the row starting at `position` into fields and returns the offset of the next row.
    ///
    /// Comma-like delimiters follow RFC 4180: a field that starts with `"` runs to the closing quote, `""`
    /// inside it is one quote (unescaped in place, which only shrinks the field), and it may span lines.
    /// Unquoted fields are trimmed of spaces and a trailing `\r`. `.whitespace` splits on runs of blanks.
    /// A line with no content sets `isBlank`. `lines` counts the newlines consumed.
    func tokenizeRow(
        base: UnsafeMutablePointer<UInt8>, at position: Int, end: Int, fields: inout RowFields, lines: inout Int,
        rowLine: Int
    ) throws(DataError) -> Int {
        let newline = CSVParser.newline, cr = CSVParser.carriageReturn, space = CSVParser.space, tab = CSVParser.tab
        var p = position
        fields.count = 0
        fields.isBlank = false
        if format.delimiter == .whitespace {
            while true {
                while p < end && (base[p] == space || base[p] == tab || base[p] == cr) { p += 1 }
                if p >= end || base[p] == newline { break }
                let s = p
                while p < end && base[p] != space && base[p] != tab && base[p] != cr && base[p] != newline { p += 1 }
                fields.append(s, p)
            }
            if p < end { p += 1 }
            lines += 1
            fields.isBlank = fields.count == 0
            return p
        }
        let sep = format.separatorByte
        let quote = CSVParser.quote
        var sawQuote = false
        while true {
            while p < end && base[p] == space && sep != space { p += 1 }
            if p < end && base[p] == quote {
                sawQuote = true
                p += 1
                let s = p
                var w = p
                var closed = false
                while p < end {
                    let b = base[p]
                    if b == quote {
                        if p + 1 < end && base[p + 1] == quote {
                            base[w] = quote
                            w += 1
                            p += 2
                            continue
                        }
                        p += 1
                        closed = true
                        break
                    }
                    if b == newline { lines += 1 }
                    base[w] = b
                    w += 1
                    p += 1
                }
                if !closed {
                    throw .malformedRow(
                        path: path, line: rowLine, column: fields.count + 1, reason: "unterminated quoted field")
                }
                fields.append(s, w)
                while p < end && (base[p] == space || base[p] == cr) && base[p] != sep { p += 1 }
                if p < end && base[p] != sep && base[p] != newline {
                    throw .malformedRow(
                        path: path, line: rowLine, column: fields.count,
                        reason: "unexpected character after a closing quote")
                }
            } else {
                let s = p
                while p < end && base[p] != sep && base[p] != newline { p += 1 }
                var e = p
                while e > s && (base[e - 1] == cr || base[e - 1] == space) { e -= 1 }
                fields.append(s, e)
            }
            if p < end && base[p] == sep {
                p += 1
                continue
            }
            break
        }
        if p < end { p += 1 }  // the newline
        lines += 1
        fields.isBlank = !sawQuote && fields.count == 1 && fields.ends[0] == fields.starts[0]
        return p
    }
}

extension DataError {
    /// The same error pointing at line `line` (chunks report lines relative to their start).
    func relocated(toLine line: Int) -> DataError {
        switch self {
        case let .malformedRow(path, _, column, reason):
            return .malformedRow(path: path, line: line, column: column, reason: reason)
        case let .invalidValue(path, _, column, name, text, expected):
            return .invalidValue(path: path, line: line, column: column, columnName: name, text: text, expected: expected)
        default:
            return self
        }
    }
}
