import CAPMData
import Foundation
import Yams

/// One step of a key path into a plan document.
public enum PlanPathComponent: Sendable, Equatable {
    /// A mapping key.
    case key(String)
    /// A sequence index (0-based).
    case index(Int)
}

/// Renders `[.key("cells"), .index(3), .key("min")]` as `cells[3].min`.
func renderPath(_ path: [PlanPathComponent]) -> String {
    var s = ""
    for component in path {
        switch component {
        case .key(let k): s += s.isEmpty ? k : ".\(k)"
        case .index(let i): s += "[\(i)]"
        }
    }
    return s
}

/// Maps key paths of a parsed document to file positions (line and column of the node), so semantic errors
/// found after decoding still name the line.
public struct PlanLocator: @unchecked Sendable {
    // `Yams.Node` is an immutable value tree; it is only read here.
    let file: String
    let root: Node?

    /// A locator for a plan built in code (no positions).
    public static func none(file: String = "<plan>") -> PlanLocator { PlanLocator(file: file, root: nil) }

    /// The location of `path` (the deepest existing node along it).
    func location(_ path: [PlanPathComponent]) -> PlanLocation {
        var node = root
        var mark = root?.mark
        for component in path {
            guard let current = node else { break }
            switch component {
            case .key(let k):
                node = current.mapping?.first(where: { $0.key.string == k })?.value
            case .index(let i):
                if let seq = current.sequence, i >= 0, i < seq.count { node = seq[i] } else { node = nil }
            }
            if let m = node?.mark { mark = m }
        }
        return PlanLocation(file: file, line: mark?.line, column: mark?.column, keyPath: renderPath(path))
    }
}

/// Reads plan files (YAML, or JSON — a YAML subset) with positions for every error.
///
/// The text is composed into a YAML node tree (libyaml via Yams, which records line and column of every node),
/// checked for unknown keys (a misspelt `mx:` must not silently drop a constraint), decoded with `Codable`
/// (through ``PlanNodeDecoder``), and decoding errors are mapped back to the line of the key path they name.
public enum PlanReader {
    /// Reads and decodes a plan file.
    /// - Throws: ``AllocationError`` naming the file, line and key path.
    public static func read(contentsOf url: URL) throws(AllocationError) -> (plan: Plan, locator: PlanLocator) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "not UTF-8 text or unreadable" : "no such file"
            throw .unreadableFile(path: url.path, reason: reason)
        }
        return try read(text: text, file: url.path)
    }

    /// Decodes a plan from YAML or JSON text; `file` names it in errors.
    public static func read(text: String, file: String = "<plan>") throws(AllocationError) -> (plan: Plan, locator: PlanLocator) {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw AllocationError.syntax(file: file, line: 1, column: 1, reason: "the document is empty")
            }
            node = composed
        } catch let error as AllocationError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw .syntax(file: file, line: nil, column: nil, reason: "\(error)")
        }
        let locator = PlanLocator(file: file, root: node)
        guard node.mapping != nil else {
            throw .invalidValue(locator.location([]), reason: "the plan must be a mapping with keys version, segments, moments, …")
        }
        try checkKeys(node, path: [], schema: .plan, locator: locator)
        do {
            return (try decodePlan(node), locator)
        } catch let error as DecodingError {
            throw decodingError(error, locator: locator)
        } catch {
            throw .syntax(file: file, line: nil, column: nil, reason: "\(error)")
        }
    }

    /// Decodes the plan from its node tree with ``PlanNodeDecoder`` (one dictionary per mapping), or with Yams'
    /// `YAMLDecoder` when the document uses merge keys or aliases.
    static func decodePlan(_ node: Node) throws -> Plan {
        do {
            return try PlanNodeDecoder.decode(Plan.self, from: node)
        } catch is PlanNodeDecoder.Unsupported {
            return try YAMLDecoder().decode(Plan.self, from: node)
        }
    }

    static func syntaxError(_ error: YamlError, file: String) -> AllocationError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return .syntax(file: file, line: mark.line, column: mark.column, reason: problem)
        default:
            return .syntax(file: file, line: nil, column: nil, reason: "\(error)")
        }
    }

    static func components(_ codingPath: [any CodingKey]) -> [PlanPathComponent] {
        codingPath.map { key in
            if let i = key.intValue { return .index(i) }
            return .key(key.stringValue)
        }
    }

    static func decodingError(_ error: DecodingError, locator: PlanLocator) -> AllocationError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidValue(locator.location(components(context.codingPath)), reason: "missing key '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            return .invalidValue(locator.location(components(context.codingPath)), reason: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .invalidValue(locator.location(components(context.codingPath)), reason: "expected \(typeName(type)), found null")
        case .dataCorrupted(let context):
            return .invalidValue(locator.location(components(context.codingPath)), reason: context.debugDescription)
        @unknown default:
            return .invalidValue(locator.location([]), reason: "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        DecodingFailure.typeName(type, objectName: "a mapping")
    }

    /// The keys allowed in each kind of mapping.
    enum Schema {
        case plan, budget, segment, moment, channel, cell, response, curve, template, constraint, options, none

        var keys: Set<String> {
            switch self {
            case .plan: ["version", "name", "currency", "budget", "segments_from", "segments", "moments", "channels", "cells", "templates", "constraints", "options"]
            case .budget: ["amount", "mode"]
            case .segment: ["id", "name", "label", "customers", "clv", "margin", "retention", "discount_rate"]
            case .moment: ["id", "stage", "name"]
            case .channel: ["id", "name", "unit", "unit_cost"]
            case .cell: ["id", "segment", "moment", "channel", "current", "min", "max", "fixed", "tags", "response"]
            case .response: ["breakpoints", "saturating", "hill"]
            case .curve: ["max_uplift", "scale", "half_saturation", "pieces", "max_spend"]
            case .template: ["label", "segments", "moment", "channel", "uplift_fraction", "scale_per_customer", "current_per_customer", "min_per_customer", "max_per_customer", "pieces", "tags"]
            case .constraint: ["name", "moment", "stage", "segment", "channel", "tag", "label", "min", "max", "min_share", "max_share", "roi_floor", "max_increase", "max_decrease", "units_per_customer"]
            case .options: ["pieces", "saturation", "nonconcave"]
            case .none: []
            }
        }

        /// The schema of the value under `key` (for lists: of their elements).
        func child(_ key: String) -> Schema {
            switch (self, key) {
            case (.plan, "budget"): .budget
            case (.plan, "segments"): .segment
            case (.plan, "moments"): .moment
            case (.plan, "channels"): .channel
            case (.plan, "cells"): .cell
            case (.plan, "templates"): .template
            case (.plan, "constraints"): .constraint
            case (.plan, "options"): .options
            case (.cell, "response"): .response
            case (.response, "saturating"), (.response, "hill"): .curve
            default: .none
            }
        }
    }

    static func checkKeys(_ node: Node, path: [PlanPathComponent], schema: Schema, locator: PlanLocator) throws(AllocationError) {
        if schema == .none { return }
        if let seq = node.sequence {
            for (i, element) in seq.enumerated() {
                try checkKeys(element, path: path + [.index(i)], schema: schema, locator: locator)
            }
            return
        }
        guard let mapping = node.mapping else { return }
        let allowed = schema.keys
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard allowed.contains(key) else {
                let expected = allowed.sorted().joined(separator: ", ")
                throw .invalidValue(locator.location(path + [.key(key)]), reason: "unknown key '\(key)' (expected one of: \(expected))")
            }
            try checkKeys(value, path: path + [.key(key)], schema: schema.child(key), locator: locator)
        }
    }
}
