#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX `read` under a name that does not clash with ``InputFile/Reader/read(into:)``.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Reads whole files into memory with POSIX calls, mapping failures to ``DataError``.
enum InputFile {
    /// An open file read front to back in pieces of the caller's choosing (the `.npy` reader reads its header,
    /// then its data straight into the destination array). Closed when released.
    final class Reader {
        let path: String
        /// The file's size in bytes when it was opened.
        let size: Int
        private let fd: Int32

        /// Opens `path` for reading.
        init(path: String) throws(DataError) {
            self.path = path
            let fd = open(path, O_RDONLY)
            if fd < 0 {
                let code = errno
                if code == ENOENT { throw .fileNotFound(path: path) }
                throw .unreadable(path: path, reason: String(cString: strerror(code)))
            }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw .unreadable(path: path, reason: reason)
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw .unreadable(path: path, reason: "is a directory")
            }
            self.fd = fd
            self.size = Int(info.st_size)
        }

        deinit { close(fd) }

        /// Fills `buffer` from the current position; returns the bytes read, fewer only at the end of the file.
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
            guard let base = buffer.baseAddress else { return 0 }
            var done = 0
            while done < buffer.count {
                let n = posixRead(fd, base + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .unreadable(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                done += n
            }
            return done
        }

        /// Up to `count` bytes from the current position (fewer only at the end of the file).
        func read(count: Int) throws(DataError) -> [UInt8] {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, count), alignment: 1)
            defer { buffer.deallocate() }
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
            return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n]).bindMemory(to: UInt8.self))
        }
    }

    /// The bytes of the file at `path`.
    static func readBytes(path: String) throws(DataError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .unreadable(path: path, reason: "is a directory") }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = 0
            guard let base = buffer.baseAddress else { return }
            var done = 0
            while done < size {
                let n = read(fd, base + done, size - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                done += n
            }
            initialized = done
        }
        if failure != 0 { throw .unreadable(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }
}
