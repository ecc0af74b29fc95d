import Foundation

/// The run's `run.json` manifest, shown as a flat list of `key: value` lines (its exact keys belong to the
/// pipeline and may change, so the report reads it generically: scalars up to three levels deep, keys sorted).
public struct RunManifest: Sendable, Equatable {
    /// `(dotted key, value)` pairs in key order (at most ``maxEntries``).
    public var entries: [Entry]

    /// One `key: value` line.
    public struct Entry: Sendable, Equatable {
        /// Dotted key path (`versions.capm`, `inputs[0].path`).
        public var key: String
        /// The scalar as text.
        public var value: String
    }

    /// The most entries shown.
    public static let maxEntries = 40

    /// A JSON value of any shape.
    indirect enum Value: Decodable {
        case string(String), number(Double), bool(Bool), null
        case object([String: Value])
        case array([Value])

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            if let keyed = try? decoder.container(keyedBy: Key.self) {
                var d: [String: Value] = [:]
                for k in keyed.allKeys { d[k.stringValue] = try keyed.decode(Value.self, forKey: k) }
                self = .object(d)
                return
            }
            if var list = try? decoder.unkeyedContainer() {
                var items: [Value] = []
                while !list.isAtEnd { items.append(try list.decode(Value.self)) }
                self = .array(items)
                return
            }
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { self = .null }
            else if let b = try? single.decode(Bool.self) { self = .bool(b) }
            else if let n = try? single.decode(Double.self) { self = .number(n) }
            else { self = .string(try single.decode(String.self)) }
        }
    }

    /// Entries from the JSON bytes; nil when the file is not a JSON object.
    public init?(data: Data) {
        guard let root = try? JSONDecoder().decode(Value.self, from: data), case .object = root else { return nil }
        var out: [Entry] = []
        func walk(_ value: Value, _ key: String, depth: Int) {
            if out.count >= RunManifest.maxEntries { return }
            switch value {
            case .object(let dict):
                guard depth < 3 else { return }
                for k in dict.keys.sorted() {
                    if let v = dict[k] { walk(v, key.isEmpty ? k : key + "." + k, depth: depth + 1) }
                }
            case .array(let list):
                guard depth < 3 else { return }
                for (i, v) in list.prefix(10).enumerated() { walk(v, "\(key)[\(i)]", depth: depth + 1) }
            case .string(let s): out.append(Entry(key: key, value: s))
            case .bool(let b): out.append(Entry(key: key, value: b ? "true" : "false"))
            case .number(let n):
                let text = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : "\(n)"
                out.append(Entry(key: key, value: text))
            case .null: out.append(Entry(key: key, value: "null"))
            }
        }
        walk(root, "", depth: 0)
        entries = out
    }
}
