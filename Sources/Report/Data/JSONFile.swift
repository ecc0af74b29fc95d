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

    /// `codingPath` as `a.b[2].c`.
    static func keyPath(_ codingPath: [any CodingKey]) -> String {
        var s = ""
        for key in codingPath {
            if let i = key.intValue { s += "[\(i)]" } else { s += s.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return s
    }

    static func describe(_ error: DecodingError, path: String) -> ReportError {
        switch error {
        case .keyNotFound(let key, let context):
            let p = keyPath(context.codingPath)
            return .invalidJSON(path: path, keyPath: p.isEmpty ? key.stringValue : p + "." + key.stringValue, reason: "missing key")
        case .typeMismatch(let type, let context):
            return .invalidJSON(path: path, keyPath: keyPath(context.codingPath), reason: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalidJSON(path: path, keyPath: keyPath(context.codingPath), reason: "expected \(typeName(type)), found null")
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return .invalidJSON(path: path, keyPath: keyPath(context.codingPath), reason: underlying ?? context.debugDescription)
        @unknown default:
            return .invalidJSON(path: path, keyPath: "", reason: "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: return "a number"
        case is Int.Type: return "an integer"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }
}
