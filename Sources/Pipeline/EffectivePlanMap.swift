import Allocation
import Foundation
import Yams

/// Points an allocation error of the effective plan (``Plan/withSegments(from:)``: the segmentation's k segments
/// first, then the plan's unlabelled segments; the cells of labelled segments dropped) back at the user's plan file:
/// `segments[i]` and `cells[j]` of the effective plan become the index of the same entry in the file, with its line
/// and column. An entry the segmentation made has no line in the file and is named as such.
struct EffectivePlanMap {
    /// Segments the segmentation added (at the front).
    let generatedSegments: Int
    /// For each kept segment of the effective plan (after the generated ones), its index in the plan file.
    let keptSegments: [Int]
    /// For each cell of the effective plan, its index in the plan file.
    let keptCells: [Int]
    /// The plan file (nil for a plan built in code: key paths are mapped, no positions).
    let file: URL?

    /// The map for `effective`, made from `given` by ``Plan/withSegments(from:)``.
    init(given: Plan, effective: Plan, file: URL?) {
        let dropped = Set(given.segments.filter { $0.label != nil }.map(\.id))
        keptSegments = given.segments.indices.filter { given.segments[$0].label == nil }
        keptCells = given.cells.indices.filter { !dropped.contains(given.cells[$0].segment) }
        generatedSegments = effective.segments.count - keptSegments.count
        self.file = file
    }

    /// `error` with its location moved to the user's entry.
    func map(_ error: AllocationError) -> AllocationError {
        switch error {
        case .invalidValue(let location, let reason): return .invalidValue(map(location), reason: reason)
        case .unknownID(let location, let kind, let id): return .unknownID(map(location), kind: kind, id: id)
        case .duplicateID(let location, let kind, let id): return .duplicateID(map(location), kind: kind, id: id)
        case .unsupportedVersion(let location, let version): return .unsupportedVersion(map(location), version: version)
        default: return error
        }
    }

    /// The location of the same entry in the plan file.
    func map(_ location: PlanLocation) -> PlanLocation {
        var path = Self.components(location.keyPath)
        guard path.count >= 2, case .key(let list) = path[0], case .index(let i) = path[1] else { return location }
        switch list {
        case "segments":
            if i < generatedSegments {
                return PlanLocation(
                    file: location.file, line: nil, column: nil,
                    keyPath: "\(location.keyPath) (segment \(i) of the segmentation, not in the plan file)")
            }
            guard i - generatedSegments < keptSegments.count else { return location }
            path[1] = .index(keptSegments[i - generatedSegments])
        case "cells":
            guard i < keptCells.count else { return location }
            path[1] = .index(keptCells[i])
        default:
            return location
        }
        let position = file.flatMap { Self.position(of: path, in: $0) }
        return PlanLocation(
            file: location.file, line: position?.line, column: position?.column, keyPath: Self.render(path))
    }

    /// `segments[4].retention` → `[.key("segments"), .index(4), .key("retention")]`.
    static func components(_ keyPath: String) -> [PlanPathComponent] {
        var out: [PlanPathComponent] = []
        for part in keyPath.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            if let open = rest.firstIndex(of: "[") {
                if open > rest.startIndex { out.append(.key(String(rest[..<open]))) }
                rest = rest[open...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]"),
                    let i = Int(rest[rest.index(after: rest.startIndex)..<close])
                {
                    out.append(.index(i))
                    rest = rest[rest.index(after: close)...]
                }
            } else if !rest.isEmpty {
                out.append(.key(String(rest)))
            }
        }
        return out
    }

    /// The key path as text (`segments[4].retention`).
    static func render(_ path: [PlanPathComponent]) -> String {
        var s = ""
        for component in path {
            switch component {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// Line and column of the deepest node along `path` in the YAML file (as the plan reader reports them).
    static func position(of path: [PlanPathComponent], in file: URL) -> (line: Int, column: Int)? {
        guard let text = try? String(contentsOf: file, encoding: .utf8), let root = try? Yams.compose(yaml: text) else {
            return nil
        }
        var node: Node? = root
        var mark = root.mark
        for component in path {
            guard let current = node else { break }
            switch component {
            case .key(let k): node = current.mapping?.first(where: { $0.key.string == k })?.value
            case .index(let i):
                if let sequence = current.sequence, i >= 0, i < sequence.count { node = sequence[i] } else { node = nil }
            }
            if let m = node?.mark { mark = m }
        }
        return mark.map { ($0.line, $0.column) }
    }
}
