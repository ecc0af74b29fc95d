import Foundation

/// A Swift `DecodingError` read for a person: the key path of the offending value and what was wrong with it. One
/// reading for every file CAPM decodes (run reports, saved segmentation models, allocation plans), so their errors
/// say the same thing the same way.
public struct DecodingFailure: Sendable, Equatable {
    /// The coding path of the offending value, one component per level (a key, or an index into a list).
    public let path: [Component]
    /// What was wrong: `missing key`, `expected a number`, `expected a list, found null`, or the decoder's text.
    public let reason: String

    /// One level of a coding path.
    public enum Component: Sendable, Equatable {
        /// A key of an object (mapping).
        case key(String)
        /// An index into a list.
        case index(Int)
    }

    /// Reads `error`. A missing key is reported at its own path (the parent's path plus the key); `objectName`
    /// names a keyed container in "expected …" reasons ("an object" for JSON, "a mapping" for YAML).
    public init(_ error: DecodingError, objectName: String = "an object") {
        func components(_ keys: [any CodingKey]) -> [Component] {
            keys.map { key in key.intValue.map(Component.index) ?? .key(key.stringValue) }
        }
        switch error {
        case .keyNotFound(let key, let context):
            path = components(context.codingPath) + [.key(key.stringValue)]
            reason = "missing key"
        case .typeMismatch(let type, let context):
            path = components(context.codingPath)
            reason = "expected \(Self.typeName(type, objectName: objectName))"
        case .valueNotFound(let type, let context):
            path = components(context.codingPath)
            reason = "expected \(Self.typeName(type, objectName: objectName)), found null"
        case .dataCorrupted(let context):
            path = components(context.codingPath)
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            reason = underlying ?? context.debugDescription
        @unknown default:
            path = []
            reason = "\(error)"
        }
    }

    /// The path as `a.b[2].c` (empty at the top level).
    public var keyPath: String {
        var text = ""
        for component in path {
            switch component {
            case .index(let i): text += "[\(i)]"
            case .key(let name): text += text.isEmpty ? name : ".\(name)"
            }
        }
        return text
    }

    /// The expected kind of value in words: "a number", "an integer", "a string", "true or false", "a list",
    /// `objectName` for dictionaries, otherwise "a" and the type's name.
    public static func typeName(_ type: Any.Type, objectName: String = "an object") -> String {
        switch type {
        case is Double.Type: return "a number"
        case is Int.Type: return "an integer"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return objectName }
            return "a \(name)"
        }
    }
}
