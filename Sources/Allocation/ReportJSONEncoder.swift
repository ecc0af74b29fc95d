/// A small JSON encoder for reports: pretty-printed (two-space indent, `"key" : value`), keys sorted, `nil`
/// optionals left out, non-finite doubles as the strings `inf`, `-inf`, `nan`, slashes not escaped.
///
/// Foundation's `JSONEncoder` goes through an intermediate tree of boxed Foundation values; on Linux that
/// cost about 0.8 s for the 50,000 cells of a 1000 × 50 × 10 plan. This encoder builds a tree of plain Swift
/// values and writes it into one UTF-8 buffer (about ten times faster on that plan, see `Docs/allocation.md`,
/// "Measured"). Integral doubles below 2⁵³ are written without a fraction (`250000`), others with Swift's
/// shortest round-trip form, so decoding gives back the same `Double`.
struct ReportJSONEncoder {
    /// Encodes `value` as pretty-printed JSON text (with a final newline).
    func encode<T: Encodable>(_ value: T) throws -> String {
        let root = JSONBox()
        try value.encode(to: JSONTreeEncoder(box: root, codingPath: []))
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        var state = JSONBox.WriteState()
        root.write(into: &out, indent: 0, state: &state)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }
}

/// A member or element: pre-rendered scalar text, or a container still being filled.
enum JSONNode {
    case scalar(String)
    case box(JSONBox)

    func write(into out: inout [UInt8], indent: Int, state: inout JSONBox.WriteState) {
        switch self {
        case .scalar(let text): out.append(contentsOf: text.utf8)
        case .box(let b): b.write(into: &out, indent: indent, state: &state)
        }
    }
}

/// One JSON value under construction (a reference, so containers handed out can fill it later). Members are
/// kept in insertion order (cheaper than hashing) and sorted by key when written; scalars are stored inline as
/// text, so a cell of 17 numbers costs one allocation, not 17.
final class JSONBox {
    enum Kind { case scalar, object, array }
    var kind = Kind.scalar
    /// Pre-rendered scalar text (number, quoted string, `true`, `null`, …).
    var scalar: String?
    /// Object members, in insertion order; a later member with the same key replaces an earlier one when written.
    var members: [(key: String, value: JSONNode)] = []
    /// Array elements.
    var elements: [JSONNode] = []

    func makeObject() { if kind != .object { kind = .object; members = []; scalar = nil } }
    func makeArray() { if kind != .array { kind = .array; elements = []; scalar = nil } }

    /// The key order of the last object written: the objects of one type (e.g. 50,000 cells) arrive with the
    /// same keys in the same order, so their sorted order is computed once.
    struct WriteState {
        var keys: [String] = []
        var kept: [Int] = []
    }

    /// The member indices to write, sorted by key; of equal keys the last one written wins.
    func sortedMembers(_ state: inout WriteState) -> [Int] {
        if members.count == state.keys.count && members.indices.allSatisfy({ members[$0].key == state.keys[$0] }) {
            return state.kept
        }
        let order = members.indices.sorted { (members[$0].key, $0) < (members[$1].key, $1) }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        for i in order {
            if let last = kept.last, members[last].key == members[i].key { kept[kept.count - 1] = i } else { kept.append(i) }
        }
        state.keys = members.map(\.key)
        state.kept = kept
        return kept
    }

    func write(into out: inout [UInt8], indent: Int, state: inout WriteState) {
        switch kind {
        case .object:
            let kept = sortedMembers(&state)
            if kept.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (n, i) in kept.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
                Self.spaces(indent + 2, into: &out)
                Self.quoted(members[i].key, into: &out)
                out.append(contentsOf: " : ".utf8)
                members[i].value.write(into: &out, indent: indent + 2, state: &state)
            }
            out.append(UInt8(ascii: "\n"))
            Self.spaces(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        case .array:
            if elements.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
                Self.spaces(indent + 2, into: &out)
                element.write(into: &out, indent: indent + 2, state: &state)
            }
            out.append(UInt8(ascii: "\n"))
            Self.spaces(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        case .scalar:
            out.append(contentsOf: (scalar ?? "null").utf8)
        }
    }

    static func spaces(_ n: Int, into out: inout [UInt8]) {
        for _ in 0..<n { out.append(UInt8(ascii: " ")) }
    }

    /// A JSON string literal: `"`, `\` and control characters escaped.
    static func quoted(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: s.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        quoted(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `250000`, `0.17`, `1e+20`; non-finite values as the strings `"inf"`, `"-inf"`, `"nan"`.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "\"nan\"" }
        if v.isInfinite { return v > 0 ? "\"inf\"" : "\"-inf\"" }
        if v == v.rounded(), abs(v) < 9_007_199_254_740_992 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// The `Encoder` that fills a ``JSONBox``.
struct JSONTreeEncoder: Encoder {
    let box: JSONBox
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.makeObject()
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.makeArray()
        return JSONUnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleContainer(box: box, codingPath: codingPath)
    }
}

private struct JSONIndexKey: CodingKey {
    var stringValue: String { "\(index)" }
    var intValue: Int? { index }
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { guard let i = Int(stringValue) else { return nil }; index = i }
    init?(intValue: Int) { index = intValue }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONBox
    var codingPath: [any CodingKey]

    private func put(_ text: String, _ key: Key) {
        box.members.append((key.stringValue, .scalar(text)))
    }
    private func child(_ key: Key) -> JSONBox {
        let b = JSONBox()
        box.members.append((key.stringValue, .box(b)))
        return b
    }

    mutating func encodeNil(forKey key: Key) throws { put("null", key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(value ? "true" : "false", key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(JSONBox.quoted(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(JSONBox.number(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(JSONBox.number(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(String(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(String(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: JSONTreeEncoder(box: child(key), codingPath: codingPath + [key]))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let b = child(key)
        b.makeObject()
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: b, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let b = child(key)
        b.makeArray()
        return JSONUnkeyedContainer(box: b, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder {
        let b = JSONBox()
        box.members.append(("super", .box(b)))
        return JSONTreeEncoder(box: b, codingPath: codingPath)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONTreeEncoder(box: child(key), codingPath: codingPath + [key])
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONBox
    var codingPath: [any CodingKey]
    var count: Int { box.elements.count }

    private func put(_ text: String) {
        box.elements.append(.scalar(text))
    }
    private func child() -> JSONBox {
        let b = JSONBox()
        box.elements.append(.box(b))
        return b
    }

    mutating func encodeNil() throws { put("null") }
    mutating func encode(_ value: Bool) throws { put(value ? "true" : "false") }
    mutating func encode(_ value: String) throws { put(JSONBox.quoted(value)) }
    mutating func encode(_ value: Double) throws { put(JSONBox.number(value)) }
    mutating func encode(_ value: Float) throws { put(JSONBox.number(Double(value))) }
    mutating func encode(_ value: Int) throws { put(String(value)) }
    mutating func encode(_ value: Int64) throws { put(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [JSONIndexKey(count)]
        try value.encode(to: JSONTreeEncoder(box: child(), codingPath: path))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [JSONIndexKey(count)]
        let b = child()
        b.makeObject()
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: b, codingPath: path))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [JSONIndexKey(count)]
        let b = child()
        b.makeArray()
        return JSONUnkeyedContainer(box: b, codingPath: path)
    }
    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [JSONIndexKey(count)]
        return JSONTreeEncoder(box: child(), codingPath: path)
    }
}

struct JSONSingleContainer: SingleValueEncodingContainer {
    let box: JSONBox
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { box.scalar = "null" }
    mutating func encode(_ value: Bool) throws { box.scalar = value ? "true" : "false" }
    mutating func encode(_ value: String) throws { box.scalar = JSONBox.quoted(value) }
    mutating func encode(_ value: Double) throws { box.scalar = JSONBox.number(value) }
    mutating func encode(_ value: Float) throws { box.scalar = JSONBox.number(Double(value)) }
    mutating func encode(_ value: Int) throws { box.scalar = String(value) }
    mutating func encode(_ value: Int8) throws { box.scalar = String(value) }
    mutating func encode(_ value: Int16) throws { box.scalar = String(value) }
    mutating func encode(_ value: Int32) throws { box.scalar = String(value) }
    mutating func encode(_ value: Int64) throws { box.scalar = String(value) }
    mutating func encode(_ value: UInt) throws { box.scalar = String(value) }
    mutating func encode(_ value: UInt8) throws { box.scalar = String(value) }
    mutating func encode(_ value: UInt16) throws { box.scalar = String(value) }
    mutating func encode(_ value: UInt32) throws { box.scalar = String(value) }
    mutating func encode(_ value: UInt64) throws { box.scalar = String(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: JSONTreeEncoder(box: box, codingPath: codingPath))
    }
}
