import Foundation
import Yams

/// A `Decoder` over a composed Yams node tree: what ``PlanReader`` decodes a ``Plan`` with.
///
/// Yams' own `YAMLDecoder` finds a key with `Node.Mapping`'s subscript, which builds a node from the key and
/// compares it with every key of the mapping, resolving both tags by regular expressions on each comparison;
/// a `decodeIfPresent` of an absent key scans the whole mapping. On the 1000 segments × 50 moments plan
/// (`generate_plan.py`) that was 0.125 s of CPU (perf, 2026-11-23) for about 10,000 scalars. Here each mapping
/// is indexed once into a dictionary by key text (the first occurrence of a key wins, as with Yams), so a look-up
/// is one hash. Scalars are built by Yams' own `ScalarConstructible` constructors and errors carry the same
/// `DecodingError` cases, expected types and coding paths as Yams', so values and messages do not change.
///
/// Merge keys (`<<`) and alias nodes are not handled here: they throw ``Unsupported`` and the reader decodes
/// that document with `YAMLDecoder` instead.
struct PlanNodeDecoder: Decoder {
    /// A construct this decoder leaves to `YAMLDecoder`.
    enum Unsupported: Error {
        case mergeKey
        case alias
    }

    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: Node, codingPath: [any CodingKey] = []) {
        self.node = node
        self.codingPath = codingPath
    }

    /// Decodes `T` from the root node.
    static func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try PlanNodeDecoder(node: node).decodeValue(type)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node {
        case .mapping(let mapping):
            return KeyedDecodingContainer(try KeyedContainer<Key>(decoder: self, mapping: mapping))
        case .alias: throw Unsupported.alias
        default: throw typeMismatch(Node.Mapping.self, reality: node)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node {
        case .sequence(let sequence): return UnkeyedContainer(decoder: self, elements: Array(sequence))
        case .alias: throw Unsupported.alias
        default: throw typeMismatch(Node.Sequence.self, reality: node)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func child(_ node: Node, key: any CodingKey) -> PlanNodeDecoder {
        PlanNodeDecoder(node: node, codingPath: codingPath + [key])
    }

    func typeMismatch(_ expectation: Any.Type, reality: Any) -> DecodingError {
        let description = "Expected to decode \(expectation) but found \(type(of: reality)) instead."
        return .typeMismatch(expectation, DecodingError.Context(codingPath: codingPath, debugDescription: description))
    }

    /// `T` from this node: through Yams' scalar constructors for scalar types, else `T(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let constructible = type as? any ScalarConstructible.Type {
            let scalar: Node.Scalar
            switch node {
            case .scalar(let s): scalar = s
            case .alias: throw Unsupported.alias
            case .mapping(let m): throw typeMismatch(Node.Scalar.self, reality: m)
            case .sequence(let s): throw typeMismatch(Node.Scalar.self, reality: s)
            }
            guard let value = constructible.construct(from: scalar) else { throw typeMismatch(type, reality: scalar) }
            guard let typed = value as? T else { throw typeMismatch(type, reality: value) }
            return typed
        }
        return try T(from: self)
    }
}

extension PlanNodeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool {
        if case .scalar(let s) = node { return NSNull.construct(from: s) != nil }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

/// A Coding key for sequence indices (`intValue` set, as Yams' keys are, so error paths read `cells[3]`).
struct PlanIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

/// A mapping indexed once by key text.
private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: PlanNodeDecoder
    let values: [String: Node]
    let keyOrder: [String]

    init(decoder: PlanNodeDecoder, mapping: Node.Mapping) throws {
        self.decoder = decoder
        var values: [String: Node] = [:]
        var order: [String] = []
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                if case .alias = key { throw PlanNodeDecoder.Unsupported.alias }
                continue
            }
            if k.string == "<<" && k.style == .plain { throw PlanNodeDecoder.Unsupported.mergeKey }
            if values[k.string] == nil {
                values[k.string] = value
                order.append(k.string)
            }
        }
        self.values = values
        keyOrder = order
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { keyOrder.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    func node(_ key: Key) throws -> Node {
        guard let node = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(
                codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        if case .alias = node { throw PlanNodeDecoder.Unsupported.alias }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.child(try node(key), key: key).decodeNil() }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.child(try node(key), key: key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(try node(key), key: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try node(key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = PlanIndexKey(stringValue: "super")
        guard let node = values["super"] else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath, debugDescription: "No value for key super."))
        }
        return decoder.child(node, key: key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try node(key), key: key) }
}

/// A sequence, decoded element by element.
private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: PlanNodeDecoder
    let elements: [Node]
    var currentIndex = 0

    init(decoder: PlanNodeDecoder, elements: [Node]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next<T>(_ type: T.Type) throws -> PlanNodeDecoder {
        let key = PlanIndexKey(intValue: currentIndex)
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(codingPath: codingPath + [key], debugDescription: "Unkeyed container is at end."))
        }
        let element = elements[currentIndex]
        if case .alias = element { throw PlanNodeDecoder.Unsupported.alias }
        return decoder.child(element, key: key)
    }

    mutating func decodeNil() throws -> Bool {
        let child = try next(Any?.self)
        let isNil = child.decodeNil()
        if isNil { currentIndex += 1 }
        return isNil
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try next(type).decodeValue(type)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try next(type).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try next(Any.self).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let child = try next(Any.self)
        currentIndex += 1
        return child
    }
}
