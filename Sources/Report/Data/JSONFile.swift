import CAPMData
import Foundation

/// Decodes the JSON files of a run directory with the same `Codable` types (and float strategy) the CLI
/// encodes them with, mapping decoding errors to ``ReportError/invalidJSON(path:keyPath:reason:)`` with the
/// key path of the offending value.
enum JSONFile {
    /// Key conventions of the writers: `capm segment`/`capm allocate` use the Swift names, `capm journey`
    /// snake_case.
    enum Keys { case swiftNames, snakeCase }

    /// The bytes of `url`, or a ``ReportError`` naming it.
    static func data(_ url: URL) throws(ReportError) -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        do { return try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// `T` decoded from the file at `url`.
    static func decode<T: Decodable>(_ type: T.Type, from url: URL, keys: Keys = .swiftNames) throws(ReportError) -> T {
        let bytes = try data(url)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        if keys == .snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        do {
            return try decoder.decode(T.self, from: bytes)
        } catch let error as DecodingError {
            throw describe(error, path: url.path)
        } catch {
            throw .invalidJSON(path: url.path, keyPath: "", reason: "\(error)")
        }
    }

    /// `error` as ``ReportError/invalidJSON(path:keyPath:reason:)`` (see `DecodingFailure`).
    static func describe(_ error: DecodingError, path: String) -> ReportError {
        let failure = DecodingFailure(error)
        return .invalidJSON(path: path, keyPath: failure.keyPath, reason: failure.reason)
    }
}
