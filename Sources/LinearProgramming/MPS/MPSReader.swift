import Foundation

/// Reads linear programs from MPS files (fixed or free layout).
///
/// Sections: `NAME`, `OBJSENSE` (`MIN`/`MAX`, on the same or the next line; also `OBJSENSE MAXIMIZE`),
/// `ROWS` (`N`, `L`, `G`, `E`; the first `N` row is the objective, further `N` rows are dropped),
/// `COLUMNS` (integer `MARKER` lines are skipped: integer columns are read as continuous), `RHS` (a RHS `b`
/// on the objective row gives the objective constant `-b`, the HiGHS/CLP convention), `RANGES`
/// (`L`: `[b-|R|, b]`, `G`: `[b, b+|R|]`, `E`: `[b, b+R]` for `R > 0`, `[b+R, b]` for `R < 0`), `BOUNDS`
/// (`UP LO FX FR MI PL BV LI UI`; an `UP` bound below zero on a column whose lower bound was not set
/// makes the lower bound `-infinity`, the CPLEX/HiGHS convention), `ENDATA`.
///
/// Reference: IBM MPSX format as documented in *CPLEX File formats* (IBM, 2017), "MPS file format".
public enum MPSReader {
    /// Reads the MPS file at `url`.
    ///
    /// - Throws: ``LPError`` naming the file and the 1-based line of the first problem.
    /// - Complexity: O(file size + nonzeros·log).
    public static func read(contentsOf url: URL, format: MPSFormat = .fixed) throws(LPError) -> LinearProgram {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        // Parsed in place from the file's buffer (a copy of 93 MB was measurable on 1000×50×10).
        let result: Result<LinearProgram, LPError> = data.withUnsafeBytes { raw in
            do throws(LPError) {
                return .success(try parse(buffer: raw.bindMemory(to: UInt8.self), path: url.path, format: format))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses MPS text; `path` is only used in error messages.
    /// - Throws: ``LPError`` naming `path` and the 1-based line of the first problem.
    public static func parse(_ text: String, path: String = "<string>", format: MPSFormat = .fixed) throws(LPError)
        -> LinearProgram
    {
        try parse(bytes: Array(text.utf8), path: path, format: format)
    }

    /// Parses MPS bytes line by line (lines end in LF or CRLF).
    static func parse(bytes array: [UInt8], path: String, format: MPSFormat) throws(LPError) -> LinearProgram {
        // Hot loop (alloc_1000_50_10.mps, 93 MB, in compare_highs.py --alloc): fields are slices of the raw
        // buffer, which spares a retain/release per field.
        let result: Result<LinearProgram, LPError> = array.withUnsafeBufferPointer { bytes in
            do throws(LPError) {
                return .success(try parse(buffer: bytes, path: path, format: format))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func parse(buffer bytes: UnsafeBufferPointer<UInt8>, path: String, format: MPSFormat)
        throws(LPError) -> LinearProgram
    {
        var parser = Parser(path: path, format: format)
        var lineNumber = 0
        var start = 0
        let count = bytes.count
        while start < count && !parser.finished {
            var end = count
            if let base = bytes.baseAddress, let nl = memchr(base + start, 10, count - start) {
                end = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
            }
            lineNumber += 1
            var last = end
            if last > start && bytes[last - 1] == 13 { last -= 1 }
            let first = start
            start = end + 1
            if last == first || bytes[first] == 42 { continue }  // empty or '*' comment
            var blank = true
            for k in first..<last where bytes[k] != 32 && bytes[k] != 9 {
                blank = false
                break
            }
            if blank { continue }
            try parser.consume(bytes[first..<last], number: lineNumber)
        }
        return try parser.model(lastLine: lineNumber)
    }
}

private enum Section: String {
    case name = "NAME", objsense = "OBJSENSE", rows = "ROWS", columns = "COLUMNS", rhs = "RHS",
        ranges = "RANGES", bounds = "BOUNDS", endata = "ENDATA", objsenseValue
}

private enum RowType { case objective, free, less, greater, equal }

/// A field of a line: a slice of the file's bytes (no reference counting, unlike an ArraySlice).
private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

/// White-space separated tokens of a line.
private func tokens(_ line: Bytes) -> [Bytes] {
    var out: [Bytes] = []
    out.reserveCapacity(6)
    tokens(line, into: &out)
    return out
}

/// White-space separated tokens of a line, into a reused array (one allocation per file, not per line).
private func tokens(_ line: Bytes, into out: inout [Bytes]) {
    out.removeAll(keepingCapacity: true)
    var i = line.startIndex
    let end = line.endIndex
    while i < end {
        while i < end && (line[i] == 32 || line[i] == 9) { i += 1 }
        if i == end { break }
        let s = i
        while i < end && line[i] != 32 && line[i] != 9 { i += 1 }
        out.append(line[s..<i])
    }
}

private func text(_ t: Bytes) -> String { String(decoding: t, as: UTF8.self) }

/// The field's bytes as a buffer (no copy).
@inline(__always) private func buffer(_ t: Bytes) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: t) }

/// Exact powers of ten representable in a Double.
private let exactPowersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

/// Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990): a decimal
/// `±m·10^e` with `m < 2^53` and `|e| ≤ 22` is one correctly rounded multiplication or division of two exact
/// doubles. Returns nil for anything else (more digits, larger exponents, `inf`, hex …), which `strtod` reads.
/// Accepts `[+-]digits[.digits][(e|E|d|D)[+-]digits]`; the MPS reader's hot loop (one call per number).
private func fastDecimal(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
    let n = p.count
    var i = 0
    guard n > 0 else { return nil }
    var negative = false
    if p[0] == 45 { negative = true; i = 1 } else if p[0] == 43 { i = 1 }
    var mantissa: UInt64 = 0
    var significant = 0
    var exponent = 0
    var digits = 0
    while i < n, p[i] &- 48 < 10 {
        let dgt = UInt64(p[i] &- 48)
        if mantissa != 0 || dgt != 0 { significant += 1 }
        if significant > 19 { return nil }
        mantissa = mantissa &* 10 &+ dgt
        digits += 1
        i += 1
    }
    if i < n && p[i] == 46 {
        i += 1
        while i < n, p[i] &- 48 < 10 {
            let dgt = UInt64(p[i] &- 48)
            if mantissa != 0 || dgt != 0 { significant += 1 }
            if significant > 19 { return nil }
            mantissa = mantissa &* 10 &+ dgt
            exponent -= 1
            digits += 1
            i += 1
        }
    }
    guard digits > 0 else { return nil }
    if i < n {
        guard p[i] | 0x20 == 101 || p[i] | 0x20 == 100 else { return nil }  // e E d D
        i += 1
        var expNegative = false
        if i < n && (p[i] == 45 || p[i] == 43) { expNegative = p[i] == 45; i += 1 }
        var e = 0
        var expDigits = 0
        while i < n, p[i] &- 48 < 10 {
            if e < 10_000 { e = e * 10 + Int(p[i] &- 48) }
            expDigits += 1
            i += 1
        }
        guard expDigits > 0, i == n else { return nil }
        exponent += expNegative ? -e : e
    }
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    guard mantissa < (1 << 53), exponent >= -22, exponent <= 22 else { return nil }
    let m = Double(mantissa)
    let v = exponent >= 0 ? m * exactPowersOfTen[exponent] : m / exactPowersOfTen[-exponent]
    return negative ? -v : v
}

/// Whether a token is `MARKER` or `'MARKER'` (any case).
private func isMarker(_ t: Bytes) -> Bool {
    let core = t.first == 39 && t.last == 39 && t.count >= 2 ? t.dropFirst().dropLast() : t
    guard core.count == 6 else { return false }
    return zip(core, "MARKER".utf8).allSatisfy { $0 & 0xDF == $1 }
}

private func uppercaseText(_ t: Bytes) -> String { text(t).uppercased() }

/// The upper-cased bound type; the common two-letter ASCII types without building a `String` from scratch
/// (one BOUNDS line per boxed column: 500,000 on the 1000×50×10 allocation model).
private func boundType(_ t: Bytes) -> String {
    if t.count == 2 {
        let a = t[t.startIndex] & 0xDF
        let b = t[t.startIndex + 1] & 0xDF
        switch (a, b) {
        case (85, 80): return "UP"
        case (76, 79): return "LO"
        case (70, 88): return "FX"
        case (70, 82): return "FR"
        case (77, 73): return "MI"
        case (80, 76): return "PL"
        case (66, 86): return "BV"
        case (76, 73): return "LI"
        case (85, 73): return "UI"
        default: break
        }
    }
    return uppercaseText(t)
}

private struct Parser {
    let path: String
    let format: MPSFormat
    var section: Section? = nil
    var finished = false
    var name = ""
    var sense = ObjectiveSense.minimize
    var objectiveName: String? = nil
    /// Row name → index; −1 the objective, −2 a dropped `N` row.
    var rowIndex = NameTable()
    var rowNames: [String] = []
    var rowTypes: [RowType] = []
    var rhs: [Double] = []
    var range: [Double?] = []
    var objectiveConstant = 0.0
    /// Column name → index (entry `j` is column `j`).
    var columnIndex = NameTable()
    /// The column of the previous BOUNDS line (bounds usually come in column order).
    var lastBoundColumn = -1
    /// The reused token array of data lines.
    var fields: [Bytes] = []
    var columnNames: [String] = []
    var cost: [Double] = []
    /// Matrix entries in file order; the columns are contiguous, column j's entries start at entryStart[j].
    var entryRows: [Int32] = []
    var entryValues: [Double] = []
    var entryStart: [Int] = []
    var lower: [Double] = []
    var upper: [Double] = []
    var lowerSet: [Bool] = []
    var boundLine: [Int] = []
    var sawColumns = false

    init(path: String, format: MPSFormat) {
        self.path = path
        self.format = format
    }

    func number(_ t: Bytes, _ line: Int) throws(LPError) -> Double {
        // C strtod on a NUL-terminated copy; the whole token must be consumed. A Fortran exponent
        // ("1.5D+03") is read as "E". Magnitudes of 1e30 and above mean infinity (the MPS convention).
        // A stack buffer: one heap allocation per number was measurable on 10⁶-line files.
        if let v = fastDecimal(buffer(t)) {
            if v >= 1e30 { return .infinity }
            if v <= -1e30 { return -.infinity }
            return v
        }
        let count = t.count
        let (value, ok) = withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            var k = 0
            for b in t {
                buffer[k] = CChar(bitPattern: b == 68 || b == 100 ? 69 : b)  // Fortran exponent D → E
                k += 1
            }
            buffer[count] = 0
            guard let base = buffer.baseAddress, count > 0 else { return (0.0, false) }
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(base, &endPointer)
            return (v, endPointer == base + count)
        }
        guard ok, !value.isNaN else { throw .invalidNumber(path: path, line: line, text: text(t)) }
        if value >= 1e30 { return .infinity }
        if value <= -1e30 { return -.infinity }
        return value
    }

    /// Splits a data line into fields: by white space, or by the fixed columns when `expected` does not contain
    /// the white-space count (fixed layout only).
    /// The fixed-column fields of a line (MPSX columns 2–3, 5–12, 15–22, 25–36, 40–47, 50–61).
    func positionalFields(_ line: Bytes) -> [Bytes] {
        let base = line.startIndex
        let count = line.count
        func field(_ a: Int, _ b: Int) -> Bytes? {
            guard a < count else { return nil }
            var lo = base + a
            var hi = base + min(b, count)
            while lo < hi && (line[lo] == 32 || line[lo] == 9) { lo += 1 }
            while hi > lo && (line[hi - 1] == 32 || line[hi - 1] == 9) { hi -= 1 }
            return line[lo..<hi]
        }
        var out: [Bytes] = []
        for (a, b) in [(1, 3), (4, 12), (14, 22), (24, 36), (39, 47), (49, 61)] {
            if let f = field(a, b) { out.append(f) }
        }
        while let last = out.last, last.isEmpty { out.removeLast() }
        return out
    }

    mutating func consume(_ line: Bytes, number: Int) throws(LPError) {
        if let first = line.first, first != 32 && first != 9 {
            let toks = tokens(line)
            guard let head = toks.first, let s = Section(rawValue: uppercaseText(head)), s != .objsenseValue else {
                throw .malformedMPS(path: path, line: number, reason: "unknown section '\(toks.first.map(text) ?? "")'")
            }
            switch s {
            case .name:
                name = toks.dropFirst().map(text).joined(separator: " ")
                section = .name
            case .objsense:
                if toks.count > 1 { try setSense(toks[1], number) } else { section = .objsenseValue; return }
                section = .objsense
            case .endata: finished = true
            default:
                if s == .columns { sawColumns = true }
                section = s
            }
            return
        }
        guard let section else { throw .malformedMPS(path: path, line: number, reason: "data before any section") }
        switch section {
        case .objsenseValue:
            guard let v = tokens(line).first else { return }
            try setSense(v, number)
            self.section = .objsense
        case .rows, .columns, .rhs, .ranges, .bounds:
            // Fixed MPS: read by white space first (most files), by the fixed columns when that fails
            // (names with spaces). Each reader resolves every name before it changes any state.
            var toks: [Bytes] = []
            swap(&toks, &fields)
            tokens(line, into: &toks)
            defer { swap(&toks, &fields) }
            do {
                try read(section, toks, number)
            } catch let first {
                guard format == .fixed else { throw first }
                var positional = positionalFields(line)
                // Columns 2–3 hold a type only in ROWS and BOUNDS.
                if section != .rows && section != .bounds, positional.first?.isEmpty == true {
                    positional.removeFirst()
                }
                guard positional.map(Array.init) != toks.map(Array.init) else { throw first }
                // Report the white-space reading's error: it names what is wrong in the usual layout.
                do { try read(section, positional, number) } catch { throw first }
            }
        case .name, .objsense, .endata:
            throw .malformedMPS(path: path, line: number, reason: "unexpected data line in \(section.rawValue)")
        }
    }

    mutating func read(_ section: Section, _ f: [Bytes], _ n: Int) throws(LPError) {
        switch section {
        case .rows: try readRow(f, n)
        case .columns: try readColumn(f, n)
        case .rhs: try readRHSOrRange(f, n, isRange: false)
        case .ranges: try readRHSOrRange(f, n, isRange: true)
        case .bounds: try readBound(f, n)
        default: break
        }
    }

    mutating func setSense(_ word: Bytes, _ line: Int) throws(LPError) {
        switch uppercaseText(word) {
        case "MIN", "MINIMIZE", "MINIMISE": sense = .minimize
        case "MAX", "MAXIMIZE", "MAXIMISE": sense = .maximize
        default: throw .malformedMPS(path: path, line: line, reason: "OBJSENSE must be MIN or MAX, not '\(text(word))'")
        }
    }

    mutating func readRow(_ f: [Bytes], _ n: Int) throws(LPError) {
        guard f.count == 2 else { throw .malformedMPS(path: path, line: n, reason: "a ROWS line needs a type and a name") }
        let rowName = text(f[1])
        if rowIndex.lookup(buffer(f[1])) != nil { throw .duplicateName(path: path, line: n, name: rowName) }
        let type: RowType
        switch uppercaseText(f[0]) {
        case "N": type = objectiveName == nil ? .objective : .free
        case "L": type = .less
        case "G": type = .greater
        case "E": type = .equal
        default: throw .malformedMPS(path: path, line: n, reason: "unknown row type '\(text(f[0]))'")
        }
        switch type {
        case .objective:
            objectiveName = rowName
            _ = rowIndex.insert(buffer(f[1]), value: -1)
        case .free: _ = rowIndex.insert(buffer(f[1]), value: -2)
        default:
            _ = rowIndex.insert(buffer(f[1]), value: rowNames.count)
            rowNames.append(rowName)
            rowTypes.append(type)
            rhs.append(0)
            range.append(nil)
        }
    }

    mutating func readColumn(_ f: [Bytes], _ n: Int) throws(LPError) {
        if f.count >= 3, isMarker(f[1]) { return }
        guard f.count == 3 || f.count == 5 else {
            throw .malformedMPS(path: path, line: n, reason: "a COLUMNS line needs a column and 1 or 2 (row, value) pairs")
        }
        // Resolve both pairs before changing any state (the fixed-format fallback may re-read the line).
        guard let i1 = rowIndex.lookup(buffer(f[1])) else { throw .unknownRow(path: path, line: n, name: text(f[1])) }
        let v1 = try number(f[2], n)
        guard v1.isFinite else { throw .invalidNumber(path: path, line: n, text: text(f[2])) }
        var i2 = -3
        var v2 = 0.0
        if f.count == 5 {
            guard let i = rowIndex.lookup(buffer(f[3])) else { throw .unknownRow(path: path, line: n, name: text(f[3])) }
            i2 = i
            v2 = try number(f[4], n)
            guard v2.isFinite else { throw .invalidNumber(path: path, line: n, text: text(f[4])) }
        }
        let j: Int
        if !columnNames.isEmpty && columnIndex.entry(columnNames.count - 1, equals: buffer(f[0])) {
            j = columnNames.count - 1
        } else {
            j = columnNames.count
            guard columnIndex.insert(buffer(f[0]), value: j) else {
                throw .duplicateName(path: path, line: n, name: text(f[0]))
            }
            entryStart.append(entryRows.count)
            columnNames.append(text(f[0]))
            cost.append(0)
            lower.append(0)
            upper.append(.infinity)
            lowerSet.append(false)
            boundLine.append(0)
        }
        add(i1, v1, column: j)
        if i2 != -3 { add(i2, v2, column: j) }
    }

    /// Records a COLUMNS entry: an objective coefficient (row −1), a matrix entry, or nothing (dropped N row).
    @inline(__always) mutating func add(_ i: Int, _ v: Double, column j: Int) {
        if i == -1 {
            cost[j] += v
        } else if i >= 0 {
            entryRows.append(Int32(truncatingIfNeeded: i))
            entryValues.append(v)
        }
    }

    mutating func readRHSOrRange(_ f: [Bytes], _ n: Int, isRange: Bool) throws(LPError) {
        guard f.count >= 2 && f.count <= 5 else {
            throw .malformedMPS(path: path, line: n, reason: "a \(isRange ? "RANGES" : "RHS") line needs (row, value) pairs")
        }
        var k = f.count % 2  // odd count: a set name comes first
        var pairs: [(Int, Double)] = []
        while k + 1 < f.count {
            guard let i = rowIndex.lookup(buffer(f[k])) else { throw .unknownRow(path: path, line: n, name: text(f[k])) }
            pairs.append((i, try number(f[k + 1], n)))
            k += 2
        }
        for (i, v) in pairs {
            if i == -1 {
                if !isRange { objectiveConstant = -v }
            } else if i >= 0 {
                if isRange { range[i] = v } else { rhs[i] = v }
            }
        }
    }

    mutating func readBound(_ f: [Bytes], _ n: Int) throws(LPError) {
        guard f.count >= 2 else { throw .malformedMPS(path: path, line: n, reason: "a BOUNDS line needs a type and a column") }
        let type = boundType(f[0])
        let needsValue = type != "FR" && type != "MI" && type != "PL" && type != "BV"
        // type [set] column [value]
        let columnField: Bytes
        var valueField: Bytes? = nil
        switch (needsValue, f.count) {
        case (true, 4): columnField = f[2]; valueField = f[3]
        case (true, 3): columnField = f[1]; valueField = f[2]
        case (false, 2): columnField = f[1]
        case (false, 3): columnField = f[2]
        case (false, 4): columnField = f[2]; valueField = f[3]
        default: throw .malformedMPS(path: path, line: n, reason: "a \(type) bound needs a column\(needsValue ? " and a value" : "")")
        }
        // Bounds usually follow the column order: try the previous and the next column before hashing.
        let field = buffer(columnField)
        let j: Int
        if lastBoundColumn >= 0 && columnIndex.entry(lastBoundColumn, equals: field) {
            j = lastBoundColumn
        } else if lastBoundColumn + 1 < columnIndex.count && columnIndex.entry(lastBoundColumn + 1, equals: field) {
            j = lastBoundColumn + 1
        } else {
            guard let found = columnIndex.lookup(field) else {
                throw .unknownColumn(path: path, line: n, name: text(columnField))
            }
            j = found
        }
        var v: Double? = nil
        if let valueField { v = try number(valueField, n) }
        boundLine[j] = n
        lastBoundColumn = j
        switch type {
        case "UP", "UI":
            guard let v else { break }
            upper[j] = v
            if v < 0 && lower[j] == 0 && !lowerSet[j] { lower[j] = -.infinity }
        case "LO", "LI":
            guard let v else { break }
            lower[j] = v
            lowerSet[j] = true
        case "FX":
            guard let v else { break }
            lower[j] = v
            upper[j] = v
            lowerSet[j] = true
        case "FR":
            lower[j] = -.infinity
            upper[j] = .infinity
            lowerSet[j] = true
        case "MI":
            lower[j] = -.infinity
            lowerSet[j] = true
        case "PL": upper[j] = .infinity
        case "BV":
            lower[j] = 0
            upper[j] = 1
            lowerSet[j] = true
        default: throw .malformedMPS(path: path, line: n, reason: "unknown bound type '\(text(f[0]))'")
        }
    }

    func model(lastLine: Int) throws(LPError) -> LinearProgram {
        guard objectiveName != nil || !rowNames.isEmpty || !columnNames.isEmpty else {
            throw .malformedMPS(path: path, line: lastLine, reason: "no ROWS or COLUMNS section")
        }
        guard sawColumns, !columnNames.isEmpty else { throw .emptyModel }
        var rowLower = [Double](repeating: 0, count: rowNames.count)
        var rowUpper = rowLower
        for i in 0..<rowNames.count {
            let b = rhs[i]
            switch rowTypes[i] {
            case .less:
                rowUpper[i] = b
                rowLower[i] = range[i].map { b - abs($0) } ?? -.infinity
            case .greater:
                rowLower[i] = b
                rowUpper[i] = range[i].map { b + abs($0) } ?? .infinity
            case .equal:
                if let r = range[i] {
                    if r >= 0 { rowLower[i] = b; rowUpper[i] = b + r } else { rowLower[i] = b + r; rowUpper[i] = b }
                } else {
                    rowLower[i] = b
                    rowUpper[i] = b
                }
            case .objective, .free:
                rowLower[i] = -.infinity
                rowUpper[i] = .infinity
            }
        }
        for j in 0..<columnNames.count where lower[j] > upper[j] {
            throw .malformedMPS(
                path: path, line: boundLine[j],
                reason: "column '\(columnNames[j])': lower bound \(lower[j]) exceeds upper bound \(upper[j])")
        }
        let matrix = SparseColumnMatrix(
            rows: rowNames.count, columnStarts: entryStart + [entryRows.count], rowIndices: entryRows,
            values: entryValues)
        let model = LinearProgram(
            name: name, sense: sense, objectiveName: objectiveName ?? "OBJ", objective: cost,
            objectiveConstant: objectiveConstant, columnLower: lower, columnUpper: upper, rowLower: rowLower,
            rowUpper: rowUpper, columnNames: columnNames, rowNames: rowNames, matrix: matrix)
        try model.validate()
        return model
    }
}
