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
    /// - Throws: ``DataError`` for a missing file, a bad magic string or header, an unsupported dtype or
    ///   Fortran order, or a data section shorter than the shape requires.
    public static func read(contentsOf url: URL) throws(DataError) -> NumPyArray {
        let bytes = try InputFile.readBytes(path: url.path)
        return try decode(bytes, path: url.path)
    }

    /// Decodes the bytes of an `.npy` file; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(DataError) -> NumPyArray {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw .invalidFormat(path: path, reason: "not a .npy file (missing \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw .invalidFormat(path: path, reason: "truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw .invalidFormat(path: path, reason: ".npy format version \(major) is not supported")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw .invalidFormat(path: path, reason: "truncated .npy header")
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = value(of: "descr", in: header), let order = value(of: "fortran_order", in: header),
            let shapeText = value(of: "shape", in: header)
        else {
            throw .invalidFormat(path: path, reason: "malformed .npy header: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard order == "False" else {
            throw .invalidFormat(path: path, reason: "Fortran-order .npy arrays are not supported (save with C order)")
        }
        let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let width: Int
        let bigEndian: Bool
        switch dtype {
        case "<f8", "=f8", "f8": (width, bigEndian) = (8, false)
        case ">f8": (width, bigEndian) = (8, true)
        case "<f4", "=f4", "f4": (width, bigEndian) = (4, false)
        case ">f4": (width, bigEndian) = (4, true)
        default:
            throw .invalidFormat(path: path, reason: "dtype \(dtype) is not supported (need float64 or float32)")
        }
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else { throw .invalidFormat(path: path, reason: "bad shape \(shapeText)") }
            shape.append(n)
        }
        let count = shape.reduce(1, *)
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart >= count * width else {
            throw .invalidFormat(
                path: path, reason: "data holds \((bytes.count - dataStart) / width) elements, shape needs \(count)")
        }
        var elements = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for k in 0..<count {
                let offset = dataStart + k * width
                if width == 8 {
                    var bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    bits = bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)
                    elements[k] = Double(bitPattern: bits)
                } else {
                    var bits = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
                    bits = bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)
                    elements[k] = Double(Float(bitPattern: bits))
                }
            }
        }
        return NumPyArray(uncheckedShape: shape, elements: elements)
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
