import Foundation

/// Writes files atomically: the bytes go to a temporary file in the destination's folder, which is flushed and
/// then renamed over the destination. A reader sees the old file or the whole new one, never half of it; a
/// failure (disk full, interrupt) leaves the destination untouched and removes the temporary file.
///
/// Every file CAPM writes goes through this type.
public enum AtomicFile {
    /// Writes `data` to `url` atomically.
    ///
    /// - Throws: ``OutputError`` naming the path and the reason.
    public static func write(_ data: Data, to url: URL) throws(OutputError) {
        try write(to: url) { (handle) throws(OutputError) in
            do { try handle.write(contentsOf: data) } catch {
                throw .writeFailed(path: url.path, reason: "\(error.localizedDescription)")
            }
        }
    }

    /// Writes the UTF-8 encoding of `text` to `url` atomically.
    public static func write(_ text: String, to url: URL) throws(OutputError) {
        try write(Data(text.utf8), to: url)
    }

    /// Streams a large file: `body` writes through a ``BufferedWriter`` into the temporary file, which is
    /// renamed onto `url` only when `body` returns normally.
    ///
    /// - Throws: ``OutputError``, or whatever `body` throws (wrapped), after removing the temporary file.
    public static func write(
        to url: URL, bufferCapacity: Int = 1 << 20, _ body: (inout BufferedWriter) throws -> Void
    ) throws(OutputError) {
        try write(to: url) { (handle) throws(OutputError) in
            var writer = BufferedWriter(handle: handle, path: url.path, capacity: bufferCapacity)
            do {
                try body(&writer)
                try writer.flush()
            } catch let error as OutputError {
                throw error
            } catch {
                throw .writeFailed(path: url.path, reason: "\(error)")
            }
        }
    }

    private static func write(
        to url: URL, _ body: (FileHandle) throws(OutputError) -> Void
    ) throws(OutputError) {
        let directory = url.deletingLastPathComponent()
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .directoryMissing(path: directory.path)
        }
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard fm.createFile(atPath: temporary.path, contents: nil) else {
            throw .writeFailed(path: url.path, reason: "cannot create a temporary file in \(directory.path)")
        }
        let handle: FileHandle
        do { handle = try FileHandle(forWritingTo: temporary) } catch {
            try? fm.removeItem(at: temporary)
            throw .writeFailed(path: url.path, reason: error.localizedDescription)
        }
        do throws(OutputError) {
            try body(handle)
            do {
                try handle.synchronize()
                try handle.close()
            } catch {
                throw .writeFailed(path: url.path, reason: error.localizedDescription)
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw .writeFailed(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? handle.close()
            try? fm.removeItem(at: temporary)
            throw error
        }
    }
}

/// A buffered, append-only writer into an open file, for streaming millions of rows without building a
/// `String` of the whole file.
public struct BufferedWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8]
    private let capacity: Int

    init(handle: FileHandle, path: String, capacity: Int) {
        self.handle = handle
        self.path = path
        self.capacity = Swift.max(4096, capacity)
        self.buffer = []
        self.buffer.reserveCapacity(self.capacity)
    }

    /// Appends the UTF-8 bytes of `text`.
    public mutating func write(_ text: String) throws(OutputError) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= capacity { try flush() }
    }

    /// Appends raw bytes.
    public mutating func write<Bytes: Sequence>(bytes: Bytes) throws(OutputError) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes the buffered bytes to the file.
    public mutating func flush() throws(OutputError) {
        if buffer.isEmpty { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw .writeFailed(path: path, reason: error.localizedDescription)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Why an output file could not be written.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder the file should go into does not exist.
    case directoryMissing(path: String)
    /// Writing, flushing or renaming failed; the destination was left as it was.
    case writeFailed(path: String, reason: String)

    /// A one-line explanation naming the path.
    public var description: String {
        switch self {
        case let .directoryMissing(path): return "\(path): output folder does not exist"
        case let .writeFailed(path, reason): return "\(path): cannot write: \(reason)"
        }
    }
}
