import CAPMData
import CAPMNumerics
import Foundation
import Testing

@Suite(".npy files")
struct NumPyArrayTests {
    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("capm-test-\(UUID().uuidString)-\(name)")
    }

    @Test(arguments: [[3, 2], [5], [2, 3, 4], [0, 3]])
    func roundTripFloat64(shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let array = try NumPyArray(shape: shape, elements: (0..<count).map { Double($0) * 0.1 - 1 / 3 })
        let url = temporaryURL("a.npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try array.write(to: url)
        let back = try NumPyArray.read(contentsOf: url)
        #expect(back == array)
        // The header block is padded so the data starts on a 64-byte boundary (NEP 1).
        let bytes = try Data(contentsOf: url)
        #expect((bytes.count - count * 8) % 64 == 0)
    }

    @Test func float32RoundsToSingle() throws {
        let array = try NumPyArray(shape: [2], elements: [0.1, 1e10])
        let back = try NumPyArray.decode(array.encoded(as: .float32))
        #expect(back.elements == [Double(Float(0.1)), Double(Float(1e10))])
    }

    /// Bytes exactly as NumPy 1.x writes `np.save(f, np.array([[1., 2.], [3., 4.]]))`.
    @Test func readsNumPyWrittenBytes() throws {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }"
        header += String(repeating: " ", count: 118 - header.count - 1) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0] + Array(header.utf8)
        for v in [1.0, 2, 3, 4] { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        let array = try NumPyArray.decode(bytes)
        #expect(array.shape == [2, 2])
        let m = try array.matrix()
        #expect(m[0, 1] == 2 && m[1, 0] == 3)
        #expect(NumPyArray(matrix: m) == array)
    }

    @Test func rejectsFortranOrderOtherTypesAndTruncation() throws {
        func npy(_ header: String, payload: Int) -> [UInt8] {
            var h = header
            h += String(repeating: " ", count: 118 - h.count - 1) + "\n"
            return [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0] + Array(h.utf8) + [UInt8](repeating: 0, count: payload)
        }
        #expect(throws: DataError.self) {
            try NumPyArray.decode(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }", payload: 16))
        }
        #expect(throws: DataError.self) {
            try NumPyArray.decode(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", payload: 16))
        }
        #expect(throws: DataError.self) {
            try NumPyArray.decode(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", payload: 16))
        }
        #expect(throws: DataError.self) { try NumPyArray.decode(Array("not numpy at all".utf8)) }
    }

    /// `read(contentsOf:)` streams the data section into the elements: the same values as `decode` of the whole
    /// file, for every element type (300,000 Float elements span two of the reader's 1 MiB blocks).
    @Test(arguments: ["<f8", ">f8", "<f4", ">f4"])
    func streamedReadEqualsDecode(descr: String) throws {
        let count = 300_000
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(count / 3), 3), }"
        header += String(repeating: " ", count: 118 - header.count - 1) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0] + Array(header.utf8)
        let big = descr.hasPrefix(">")
        if descr.hasSuffix("8") {
            let words = (0..<count).map { (Double($0) * 0.37 - 1e4).bitPattern }
            words.map { big ? $0.bigEndian : $0.littleEndian }.withUnsafeBytes { bytes += $0 }
        } else {
            let words = (0..<count).map { Float(Double($0) * 0.37 - 1e4).bitPattern }
            words.map { big ? $0.bigEndian : $0.littleEndian }.withUnsafeBytes { bytes += $0 }
        }
        let url = temporaryURL("s.npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        let streamed = try NumPyArray.read(contentsOf: url)
        let decoded = try NumPyArray.decode(bytes)
        #expect(streamed == decoded)
        #expect(streamed.shape == [count / 3, 3])
        #expect(streamed.elements[count - 1] == (descr.hasSuffix("8") ? Double(count - 1) * 0.37 - 1e4
            : Double(Float(Double(count - 1) * 0.37 - 1e4))))
    }

    @Test func streamedReadRejectsTruncationAndHugeShapes() throws {
        let url = temporaryURL("t.npy")
        defer { try? FileManager.default.removeItem(at: url) }
        let array = try NumPyArray(shape: [10, 2], elements: (0..<20).map(Double.init))
        let bytes = array.encoded()
        try Data(bytes.dropLast(8)).write(to: url)
        #expect(throws: DataError.self) { try NumPyArray.read(contentsOf: url) }
        // A header cut short inside the file.
        try Data(bytes.prefix(40)).write(to: url)
        #expect(throws: DataError.self) { try NumPyArray.read(contentsOf: url) }
        // A shape whose element count overflows is an error, not an allocation.
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"
        header += String(repeating: " ", count: 118 - header.count - 1) + "\n"
        try Data([0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0] + Array(header.utf8)).write(to: url)
        #expect(throws: DataError.self) { try NumPyArray.read(contentsOf: url) }
        #expect(throws: DataError.self) {
            try NumPyArray.read(contentsOf: url.deletingLastPathComponent().appendingPathComponent("missing.npy"))
        }
    }
}

@Suite("Atomic output")
struct AtomicFileTests {
    @Test func replacesWholeFileAndLeavesNoTemporaries() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capm-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.txt")
        try AtomicFile.write("first", to: url)
        try AtomicFile.write("second", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "second")
        struct Interrupted: Error {}
        #expect(throws: OutputError.self) {
            try AtomicFile.write(to: url) { writer in
                try writer.write("partial")
                throw Interrupted()
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
        #expect(throws: OutputError.directoryMissing(path: dir.appendingPathComponent("nope").path)) {
            try AtomicFile.write("x", to: dir.appendingPathComponent("nope/out.txt"))
        }
    }
}
