import Foundation
import CAPMNumerics

/// An n-dimensional array in NumPy's `.npy` format (version 1.0–3.0), read and written as float64 in C
/// (row-major) order.
///
/// Files of little- or big-endian `float64` (`<f8`, `>f8`) or `float32` (`<f4`, `>f4`) in C order are read;
/// writing uses `<f8` (or `<f4` with ``write(to:as:)``). Fortran-order and other element types are rejected
/// with a ``DataError``. Format: NumPy Enhancement Proposal 1, "A simple file format for NumPy arrays".
public struct NumPyArray: Sendable, Equatable {
    /// The dimensions, outermost first (`[rows, columns]` for a matrix).
    public var shape: [Int]
    /// The elements in row-major (C) order; `count` is the product of ``shape``.
    public var elements: [Double]

    /// The element type of a written file.
    public enum ElementType: Sendable {
        /// 8-byte IEEE double, `<f8`.
        case float64
        /// 4-byte IEEE single, `<f4` (halves the file; values are rounded).
        case float32
    }

    /// An array of the given shape.
    ///
    /// - Throws: ``DataError/invalidFormat(path:reason:)`` when `elements.count` is not the product of `shape`.
    public init(shape: [Int], elements: [Double]) throws(DataError) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == elements.count else {
            throw .invalidFormat(path: "<memory>", reason: "shape \(shape) does not hold \(elements.count) elements")
        }
        self.shape = shape
        self.elements = elements
    }

    /// A 2-D array holding `matrix` (converted to row-major).
    public init(matrix: Matrix) {
        self.shape = [matrix.rows, matrix.columns]
        self.elements = matrix.rowMajorElements
    }

    /// The array as a column-major ``Matrix``: a 2-D array as is, a 1-D array as one column.
    ///
    /// - Throws: ``DataError/invalidFormat(path:reason:)`` for three or more dimensions.
    public func matrix() throws(DataError) -> Matrix {
        guard shape.count == 1 || shape.count == 2 else {
            throw .invalidFormat(path: "<memory>", reason: "a \(shape.count)-D array is not a matrix")
        }
        do {
            if shape.count == 1 { return try Matrix(rows: shape[0], columns: 1, columnMajor: elements) }
            return try Matrix(rows: shape[0], columns: shape[1], rowMajor: elements)
        } catch {
            throw .invalidFormat(path: "<memory>", reason: "\(error)")
        }
    }

    private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Reads an `.npy` file.
    ///
    /// The header is read first and the data section is then read straight into the elements (little-endian
    /// float64 on a little-endian host: one `read` into the array's storage; other types through a 1 MiB buffer),
    /// so peak memory is the elements plus that buffer, not the whole file in addition (a 4M × 32 float64 file:
    /// 1 GB instead of 2 GB).
    ///
    /// - Throws: ``DataError`` for a missing file, a bad magic string or header, an unsupported dtype or
    ///   Fortran order, or a data section shorter than the shape requires.
    public static func read(contentsOf url: URL) throws(DataError) -> NumPyArray {
        let path = url.path
        let file = try InputFile.Reader(path: path)
        // Magic, version and header length: at most 12 bytes.
        let prefix = try file.read(count: 12)
        let headerEnd = try headerEnd(prefix, path: path)
        var headerBytes = prefix
        if headerEnd > prefix.count {
            let rest = try file.read(count: headerEnd - prefix.count)
            guard rest.count == headerEnd - prefix.count else {
                throw .invalidFormat(path: path, reason: "truncated .npy header")
            }
            headerBytes += rest
        }
        let header = try Header(headerBytes, path: path)
        let available = max(0, file.size - header.dataStart)
        guard available / header.width >= header.count else {
            throw .invalidFormat(
                path: path, reason: "data holds \(available / header.width) elements, shape needs \(header.count)")
        }
        var failure: DataError?
        let elements = [Double](unsafeUninitializedCapacity: header.count) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            // Feature matrices are streamed once per k-means iteration: huge pages, advised before the first write.
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            do {
                if header.width == 8 && !header.bigEndian && 1.littleEndian == 1 {
                    let raw = UnsafeMutableRawBufferPointer(start: base, count: header.count * 8)
                    let n = try file.read(into: raw)
                    guard n == raw.count else { throw DataError.invalidFormat(path: path, reason: "file shrank while read") }
                } else {
                    let block = 1 << 20
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 8)
                    defer { buffer.deallocate() }
                    var k = 0
                    while k < header.count {
                        let take = min(block / header.width, header.count - k)
                        let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(take * header.width)])
                        let n = try file.read(into: chunk)
                        guard n == chunk.count else {
                            throw DataError.invalidFormat(path: path, reason: "file shrank while read")
                        }
                        convert(UnsafeRawBufferPointer(chunk), header: header, into: base + k, count: take)
                        k += take
                    }
                }
                initialized = header.count
            } catch let error as DataError {
                failure = error
            } catch {
                failure = .unreadable(path: path, reason: "\(error)")
            }
        }
        if let failure { throw failure }
        return NumPyArray(uncheckedShape: header.shape, elements: elements)
    }

    /// Decodes the bytes of an `.npy` file; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(DataError) -> NumPyArray {
        let header = try Header(bytes, path: path)
        guard (bytes.count - header.dataStart) / header.width >= header.count else {
            throw .invalidFormat(
                path: path,
                reason: "data holds \((bytes.count - header.dataStart) / header.width) elements, shape needs \(header.count)")
        }
        var elements = [Double](repeating: 0, count: header.count)
        bytes.withUnsafeBytes { raw in
            elements.withUnsafeMutableBufferPointer { out in
                let data = UnsafeRawBufferPointer(rebasing: raw[header.dataStart...])
                if let base = out.baseAddress { convert(data, header: header, into: base, count: header.count) }
            }
        }
        return NumPyArray(uncheckedShape: header.shape, elements: elements)
    }

    /// Converts `count` stored elements at the start of `data` to Double.
    private static func convert(
        _ data: UnsafeRawBufferPointer, header: Header, into out: UnsafeMutablePointer<Double>, count: Int
    ) {
        for k in 0..<count {
            if header.width == 8 {
                var bits = data.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)
                bits = header.bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                out[k] = Double(bitPattern: bits)
            } else {
                var bits = data.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)
                bits = header.bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                out[k] = Double(Float(bitPattern: bits))
            }
        }
    }

    /// Where the header of an `.npy` file ends (= where its data start), from its first 10 or 12 bytes.
    private static func headerEnd(_ bytes: [UInt8], path: String) throws(DataError) -> Int {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw .invalidFormat(path: path, reason: "not a .npy file (missing \\x93NUMPY magic)")
        }
        switch bytes[6] {
        case 1:
            return 10 + (Int(bytes[8]) | Int(bytes[9]) << 8)
        case 2, 3:
            guard bytes.count >= 12 else { throw .invalidFormat(path: path, reason: "truncated .npy header") }
            return 12 + (Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24)
        default:
            throw .invalidFormat(path: path, reason: ".npy format version \(bytes[6]) is not supported")
        }
    }

    /// The parsed header of an `.npy` file.
    private struct Header {
        var shape: [Int]
        /// Elements (the product of `shape`).
        var count: Int
        /// Bytes per element (8 or 4).
        var width: Int
        var bigEndian: Bool
        /// Offset of the data section.
        var dataStart: Int

        /// Parses the header at the start of `bytes` (which must reach at least its end).
        init(_ bytes: [UInt8], path: String) throws(DataError) {
            let end = try NumPyArray.headerEnd(bytes, path: path)
            let headerStart = bytes[6] == 1 ? 10 : 12
            guard end <= bytes.count else { throw .invalidFormat(path: path, reason: "truncated .npy header") }
            let header = String(decoding: bytes[headerStart..<end], as: UTF8.self)
            guard let descr = NumPyArray.value(of: "descr", in: header),
                let order = NumPyArray.value(of: "fortran_order", in: header),
                let shapeText = NumPyArray.value(of: "shape", in: header)
            else {
                throw .invalidFormat(
                    path: path,
                    reason: "malformed .npy header: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            guard order == "False" else {
                throw .invalidFormat(path: path, reason: "Fortran-order .npy arrays are not supported (save with C order)")
            }
            let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            switch dtype {
            case "<f8", "=f8", "f8": (width, bigEndian) = (8, false)
            case ">f8": (width, bigEndian) = (8, true)
            case "<f4", "=f4", "f4": (width, bigEndian) = (4, false)
            case ">f4": (width, bigEndian) = (4, true)
            default:
                throw .invalidFormat(path: path, reason: "dtype \(dtype) is not supported (need float64 or float32)")
            }
            let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            shape = []
            var product = 1
            for part in inner.split(separator: ",") {
                let t = part.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { continue }
                guard let n = Int(t), n >= 0 else { throw .invalidFormat(path: path, reason: "bad shape \(shapeText)") }
                let (next, overflow) = product.multipliedReportingOverflow(by: n)
                guard !overflow, next <= Int.max / 8 else {
                    throw .invalidFormat(path: path, reason: "shape \(shapeText) is too large")
                }
                product = next
                shape.append(n)
            }
            count = product
            dataStart = end
        }
    }

    private init(uncheckedShape: [Int], elements: [Double]) {
        self.shape = uncheckedShape
        self.elements = elements
    }

    /// The text after `'key':` in a header dict, up to the next top-level comma or closing brace.
    private static func value(of key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var result = ""
        for ch in header[range.upperBound...] {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if depth == 0 && (ch == "," || ch == "}") { break }
            result.append(ch)
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// The bytes of the `.npy` file (version 1.0, header padded to a multiple of 64 bytes).
    public func encoded(as type: ElementType = .float64) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(type == .float64 ? "<f8" : "<f4")', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out = NumPyArray.magic + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        out += Array(header.utf8)
        let width = type == .float64 ? 8 : 4
        let dataStart = out.count
        out += [UInt8](repeating: 0, count: elements.count * width)
        out.withUnsafeMutableBytes { raw in
            for (k, v) in elements.enumerated() {
                if type == .float64 {
                    raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: dataStart + 8 * k, as: UInt64.self)
                } else {
                    raw.storeBytes(of: Float(v).bitPattern.littleEndian, toByteOffset: dataStart + 4 * k, as: UInt32.self)
                }
            }
        }
        return out
    }

    /// Writes the array as an `.npy` file, atomically.
    public func write(to url: URL, as type: ElementType = .float64) throws(OutputError) {
        try AtomicFile.write(Data(encoded(as: type)), to: url)
    }
}
