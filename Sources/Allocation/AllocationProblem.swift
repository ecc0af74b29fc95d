import Foundation
import Segmentation

/// A validated plan, resolved into what the LP needs: segments with their value, cells with spend bounds and a
/// concave piecewise-linear response, and constraints as groups of cells. Build one with
/// ``init(plan:locator:baseDirectory:)`` (or ``load(contentsOf:)``); every check that fails names the file,
/// line and key path of the offending value.
public struct AllocationProblem: Sendable {
    /// A segment with its value per customer.
    public struct Segment: Sendable, Equatable {
        /// Id from the plan.
        public var id: String
        /// Display name (id when absent).
        public var name: String
        /// Portfolio label.
        public var label: SegmentLabel?
        /// Number of customers.
        public var customers: Double
        /// Lifetime value per customer.
        public var clv: Double
    }

    /// A resolved cell.
    public struct Cell: Sendable, Equatable {
        /// `segment/moment/channel` or the plan's id.
        public var id: String
        /// Index into ``AllocationProblem/segments``.
        public var segment: Int
        /// Index into ``AllocationProblem/moments``.
        public var moment: Int
        /// Index into ``AllocationProblem/channels``.
        public var channel: Int
        /// Tags.
        public var tags: [String]
        /// Spend in the current plan.
        public var current: Double
        /// Lowest spend (min, fixed, change limits).
        public var lower: Double
        /// Highest spend (max, fixed, change limits, curve capacity).
        public var upper: Double
        /// The concave piecewise-linear response used by the LP.
        public var response: PiecewiseLinearResponse
        /// The smooth curve it linearizes, if any.
        public var curve: SmoothResponse?
        /// The largest gap between ``curve`` and its chords (0 for breakpoints).
        public var chordError: Double
        /// The key path of the cell (or template) in the plan.
        public var source: String
    }

    /// Which cells a group constraint covers.
    public enum Selector: Sendable, Equatable {
        /// The cells of one moment (by id).
        case moment(String)
        /// The cells of every moment at a journey stage.
        case stage(Plan.Stage)
        /// The cells of one segment (by id).
        case segment(String)
        /// The cells of one channel (by id).
        case channel(String)
        /// The cells carrying a tag.
        case tag(String)
        /// The cells of every segment with a label.
        case label(SegmentLabel)

        /// `moment M2`, `stage awareness`, …
        public var description: String {
            switch self {
            case .moment(let id): return "moment \(id)"
            case .stage(let s): return "stage \(s.rawValue)"
            case .segment(let id): return "segment \(id)"
            case .channel(let id): return "channel \(id)"
            case .tag(let t): return "tag \(t)"
            case .label(let l): return "label \(l.rawValue)"
            }
        }

        /// The selector kind (groups of one kind partition the cells, except tags).
        var kind: String {
            switch self {
            case .moment: "moment"
            case .stage: "stage"
            case .segment: "segment"
            case .channel: "channel"
            case .tag: "tag"
            case .label: "label"
            }
        }
    }

    /// A min/max or share constraint on the spend of a group of cells.
    public struct GroupConstraint: Sendable, Equatable {
        /// Name for reports.
        public var name: String
        /// The group.
        public var selector: Selector
        /// Indices of the cells in the group.
        public var cells: [Int]
        /// Lowest group spend.
        public var min: Double?
        /// Highest group spend.
        public var max: Double?
        /// Lowest share of the total spend.
        public var minShare: Double?
        /// Highest share of the total spend.
        public var maxShare: Double?
        /// Key path in the plan.
        public var source: String
    }

    /// A frequency cap: `Σ_{cells of a segment} spend/unitCost ≤ unitsPerCustomer × customers`.
    public struct FrequencyCap: Sendable, Equatable {
        /// Name for reports.
        public var name: String
        /// The segment.
        public var segment: Int
        /// Cells covered (of that segment).
        public var cells: [Int]
        /// Largest number of units.
        public var maxUnits: Double
        /// Key path in the plan.
        public var source: String
    }

    /// Plan title.
    public var name: String
    /// Currency label.
    public var currency: String?
    /// Budget amount from the plan (the scenario may override it).
    public var budget: Double?
    /// Budget mode.
    public var budgetMode: Plan.Budget.Mode
    /// Segments.
    public var segments: [Segment]
    /// Moments.
    public var moments: [Plan.Moment]
    /// Channels.
    public var channels: [Plan.Channel]
    /// Cells (explicit ones first, then those created by templates, in plan order).
    public var cells: [Cell]
    /// Group constraints.
    public var groups: [GroupConstraint]
    /// The portfolio ROI floor (largest of those given), with its name and key path.
    public var roiFloor: (k: Double, name: String, source: String)?
    /// Frequency caps.
    public var frequencyCaps: [FrequencyCap]
    /// Non-fatal remarks (e.g. a non-concave curve replaced by its envelope).
    public var warnings: [String]

    /// Reads a plan file and resolves it.
    public static func load(contentsOf url: URL) throws(AllocationError) -> AllocationProblem {
        let (plan, locator) = try PlanReader.read(contentsOf: url)
        return try AllocationProblem(plan: plan, locator: locator, baseDirectory: url.deletingLastPathComponent())
    }

    /// Validates and resolves `plan`.
    /// - Parameters:
    ///   - locator: positions of the plan's nodes (from ``PlanReader``) for error messages.
    ///   - baseDirectory: where `segments_from` is resolved.
    /// - Throws: ``AllocationError`` naming file, line and key path.
    /// - Complexity: O(cells · pieces + constraints · cells).
    public init(plan: Plan, locator: PlanLocator = .none(), baseDirectory: URL? = nil) throws(AllocationError) {
        func loc(_ path: PlanPathComponent...) -> PlanLocation { locator.location(path) }
        func path(_ p: [PlanPathComponent]) -> PlanLocation { locator.location(p) }
        func requireFinite(_ v: Double?, _ p: [PlanPathComponent], min lo: Double = 0, what: String) throws(AllocationError) {
            guard let v else { return }
            guard v.isFinite, v >= lo else {
                throw .invalidValue(path(p), reason: "\(what) must be a finite number ≥ \(fmtPlain(lo)), got \(v)")
            }
        }
        guard plan.version == Plan.currentVersion else { throw .unsupportedVersion(loc(.key("version")), version: plan.version) }
        name = plan.name ?? "plan"
        currency = plan.currency
        warnings = []
        let options = plan.options ?? Plan.Options()
        let defaultPieces = options.pieces ?? 16
        guard defaultPieces >= 1 && defaultPieces <= 1000 else {
            throw .invalidValue(loc(.key("options"), .key("pieces")), reason: "pieces must be in 1...1000")
        }
        let saturation = options.saturation ?? 0.99
        guard saturation > 0 && saturation < 1 else {
            throw .invalidValue(loc(.key("options"), .key("saturation")), reason: "saturation must be in (0, 1)")
        }
        // Budget.
        budgetMode = plan.budget?.mode ?? .atMost
        budget = plan.budget?.amount
        try requireFinite(budget, [.key("budget"), .key("amount")], what: "the budget")

        // Segments.
        var segs: [Segment] = []
        if let from = plan.segmentsFrom {
            let url = URL(fileURLWithPath: from, relativeTo: baseDirectory)
            segs += try AllocationProblem.segments(from: url)
        }
        for (i, s) in plan.segments.enumerated() {
            let p: [PlanPathComponent] = [.key("segments"), .index(i)]
            try requireFinite(s.customers, p + [.key("customers")], what: "customers")
            if let r = s.retention, !(r >= 0 && r < 1) {
                throw .invalidValue(path(p + [.key("retention")]), reason: "retention must be in [0, 1)")
            }
            guard let value = s.valuePerCustomer else {
                throw .invalidValue(path(p), reason: "segment '\(s.id)' needs clv, or margin and retention")
            }
            guard value.isFinite && value >= 0 else {
                throw .invalidValue(path(p + [.key(s.clv != nil ? "clv" : "margin")]), reason: "the value per customer must be finite and ≥ 0")
            }
            segs.append(Segment(id: s.id, name: s.name ?? s.id, label: s.label, customers: s.customers, clv: value))
        }
        var segmentIndex: [String: Int] = [:]
        for (i, s) in segs.enumerated() {
            if segmentIndex[s.id] != nil {
                let offset = i - (segs.count - plan.segments.count)
                throw .duplicateID(loc(.key("segments"), .index(max(offset, 0)), .key("id")), kind: "segment", id: s.id)
            }
            segmentIndex[s.id] = i
        }
        segments = segs
        // Moments and channels.
        var momentIndex: [String: Int] = [:]
        for (i, m) in plan.moments.enumerated() {
            if momentIndex[m.id] != nil { throw .duplicateID(loc(.key("moments"), .index(i), .key("id")), kind: "moment", id: m.id) }
            momentIndex[m.id] = i
        }
        moments = plan.moments
        var channelIndex: [String: Int] = [:]
        for (i, c) in plan.channels.enumerated() {
            if channelIndex[c.id] != nil { throw .duplicateID(loc(.key("channels"), .index(i), .key("id")), kind: "channel", id: c.id) }
            if let u = c.unitCost, !(u.isFinite && u > 0) {
                throw .invalidValue(loc(.key("channels"), .index(i), .key("unit_cost")), reason: "unit_cost must be > 0")
            }
            channelIndex[c.id] = i
        }
        channels = plan.channels

        // Cells.
        var resolved: [Cell] = []
        var cellIndex: [String: Int] = [:]
        for (i, c) in plan.cells.enumerated() {
            let p: [PlanPathComponent] = [.key("cells"), .index(i)]
            guard let s = segmentIndex[c.segment] else { throw .unknownID(path(p + [.key("segment")]), kind: "segment", id: c.segment) }
            guard let m = momentIndex[c.moment] else { throw .unknownID(path(p + [.key("moment")]), kind: "moment", id: c.moment) }
            guard let ch = channelIndex[c.channel] else { throw .unknownID(path(p + [.key("channel")]), kind: "channel", id: c.channel) }
            for (key, v) in [("current", c.current), ("min", c.min), ("max", c.max), ("fixed", c.fixed)] {
                try requireFinite(v, p + [.key(key)], what: key)
            }
            let (response, curve, error) = try AllocationProblem.response(
                c.response, path: p + [.key("response")], locator: locator, defaultPieces: defaultPieces,
                saturation: saturation, nonconcave: options.nonconcave ?? .envelope, warnings: &warnings)
            let id = c.id ?? "\(c.segment)/\(c.moment)/\(c.channel)"
            if cellIndex[id] != nil { throw .duplicateID(path(p), kind: "cell", id: id) }
            cellIndex[id] = resolved.count
            var cell = Cell(
                id: id, segment: s, moment: m, channel: ch, tags: c.tags ?? [], current: c.current ?? 0, lower: c.min ?? 0,
                upper: min(c.max ?? .infinity, response.capacity), response: response, curve: curve, chordError: error,
                source: renderPath(p))
            if let f = c.fixed {
                cell.lower = f
                cell.upper = f
            }
            if cell.lower > cell.upper * (1 + 1e-12) + 1e-9 {
                let what = c.fixed != nil ? "fixed spend" : "min"
                throw .invalidValue(path(p + [.key(c.fixed != nil ? "fixed" : "min")]), reason: "\(what) \(fmtPlain(cell.lower)) exceeds the cell's largest spend \(fmtPlain(cell.upper)) (max or curve capacity)")
            }
            resolved.append(cell)
        }
        // Templates.
        for (i, t) in plan.templates.enumerated() {
            let p: [PlanPathComponent] = [.key("templates"), .index(i)]
            guard let m = momentIndex[t.moment] else { throw .unknownID(path(p + [.key("moment")]), kind: "moment", id: t.moment) }
            guard let ch = channelIndex[t.channel] else { throw .unknownID(path(p + [.key("channel")]), kind: "channel", id: t.channel) }
            guard t.upliftFraction.isFinite && t.upliftFraction > 0 else {
                throw .invalidValue(path(p + [.key("uplift_fraction")]), reason: "uplift_fraction must be > 0")
            }
            guard t.scalePerCustomer.isFinite && t.scalePerCustomer > 0 else {
                throw .invalidValue(path(p + [.key("scale_per_customer")]), reason: "scale_per_customer must be > 0")
            }
            for (key, v) in [("current_per_customer", t.currentPerCustomer), ("min_per_customer", t.minPerCustomer), ("max_per_customer", t.maxPerCustomer)] {
                try requireFinite(v, p + [.key(key)], what: key)
            }
            let pieces = t.pieces ?? defaultPieces
            guard pieces >= 1 && pieces <= 1000 else { throw .invalidValue(path(p + [.key("pieces")]), reason: "pieces must be in 1...1000") }
            var targets: [Int] = []
            if let ids = t.segments {
                for (j, id) in ids.enumerated() {
                    guard let s = segmentIndex[id] else { throw .unknownID(path(p + [.key("segments"), .index(j)]), kind: "segment", id: id) }
                    targets.append(s)
                }
            } else if let label = t.label {
                targets = segs.indices.filter { segs[$0].label == label }
            } else {
                throw .invalidValue(path(p), reason: "a template needs a label or a list of segments")
            }
            let source = renderPath(p)
            for s in targets {
                let seg = segs[s]
                let n = seg.customers
                let maxUplift = n * t.upliftFraction * seg.clv
                let scale = n * t.scalePerCustomer
                guard maxUplift > 0 && scale > 0 else { continue }
                let curve = SmoothResponse.saturating(maxUplift: maxUplift, scale: scale)
                var maxSpend = curve.spend(atFraction: saturation)
                if let cap = t.maxPerCustomer { maxSpend = min(maxSpend, max(cap * n, (t.minPerCustomer ?? 0) * n)) }
                guard maxSpend > 0 else { continue }
                let (response, error) = curve.linearized(pieces: pieces, maxSpend: maxSpend)
                let id = "\(seg.id)/\(moments[m].id)/\(channels[ch].id)"
                if cellIndex[id] != nil { throw .duplicateID(path(p), kind: "cell", id: id) }
                cellIndex[id] = resolved.count
                let lower = (t.minPerCustomer ?? 0) * n
                if lower > response.capacity * (1 + 1e-12) {
                    throw .invalidValue(path(p + [.key("min_per_customer")]), reason: "min_per_customer exceeds the modelled spend for segment \(seg.id)")
                }
                resolved.append(Cell(
                    id: id, segment: s, moment: m, channel: ch, tags: t.tags ?? [], current: (t.currentPerCustomer ?? 0) * n,
                    lower: lower, upper: response.capacity, response: response, curve: curve, chordError: error,
                    source: source))
            }
        }
        guard !resolved.isEmpty else {
            throw .invalidValue(loc(.key("cells")), reason: "the plan has no cells (give cells, or templates matching a segment label)")
        }

        // Constraints.
        var groups: [GroupConstraint] = []
        var caps: [FrequencyCap] = []
        var roi: (k: Double, name: String, source: String)? = nil
        let tagSet = Set(resolved.flatMap(\.tags))
        // Cells by moment, segment and channel (constraints select groups in O(group size)).
        var byMoment: [Int: [Int]] = [:]
        var bySegment: [Int: [Int]] = [:]
        var byChannel: [Int: [Int]] = [:]
        for (j, cell) in resolved.enumerated() {
            byMoment[cell.moment, default: []].append(j)
            bySegment[cell.segment, default: []].append(j)
            byChannel[cell.channel, default: []].append(j)
        }
        for (i, c) in plan.constraints.enumerated() {
            let p: [PlanPathComponent] = [.key("constraints"), .index(i)]
            var selectors: [Selector] = []
            if let v = c.moment {
                guard momentIndex[v] != nil else { throw .unknownID(path(p + [.key("moment")]), kind: "moment", id: v) }
                selectors.append(.moment(v))
            }
            if let v = c.stage { selectors.append(.stage(v)) }
            if let v = c.segment {
                guard segmentIndex[v] != nil else { throw .unknownID(path(p + [.key("segment")]), kind: "segment", id: v) }
                selectors.append(.segment(v))
            }
            if let v = c.channel {
                guard channelIndex[v] != nil else { throw .unknownID(path(p + [.key("channel")]), kind: "channel", id: v) }
                selectors.append(.channel(v))
            }
            if let v = c.tag {
                guard tagSet.contains(v) else { throw .unknownID(path(p + [.key("tag")]), kind: "tag", id: v) }
                selectors.append(.tag(v))
            }
            if let v = c.label { selectors.append(.label(v)) }
            for (key, v) in [("min", c.min), ("max", c.max), ("max_increase", c.maxIncrease), ("units_per_customer", c.unitsPerCustomer)] {
                try requireFinite(v, p + [.key(key)], what: key)
            }
            for (key, v) in [("min_share", c.minShare), ("max_share", c.maxShare), ("max_decrease", c.maxDecrease)] {
                if let v, !(v >= 0 && v <= 1) { throw .invalidValue(path(p + [.key(key)]), reason: "\(key) must be in [0, 1], got \(v)") }
            }
            if let k = c.roiFloor, !(k.isFinite && k >= 0) {
                throw .invalidValue(path(p + [.key("roi_floor")]), reason: "roi_floor must be ≥ 0")
            }
            guard selectors.count <= 1 else {
                throw .invalidValue(path(p), reason: "a constraint selects one group (moment, stage, segment, channel, tag or label), got \(selectors.count)")
            }
            let selector = selectors.first
            let members: [Int]
            switch selector {
            case .none: members = Array(resolved.indices)
            case .moment(let id): members = byMoment[momentIndex[id] ?? -1] ?? []
            case .segment(let id): members = bySegment[segmentIndex[id] ?? -1] ?? []
            case .channel(let id): members = byChannel[channelIndex[id] ?? -1] ?? []
            case .stage(let st): members = resolved.indices.filter { plan.moments[resolved[$0].moment].stage == st }
            case .tag(let t): members = resolved.indices.filter { resolved[$0].tags.contains(t) }
            case .label(let l): members = resolved.indices.filter { segs[resolved[$0].segment].label == l }
            }
            var used = false
            if let k = c.roiFloor {
                guard selector == nil else { throw .invalidValue(path(p + [.key("roi_floor")]), reason: "roi_floor applies to the whole plan; remove the group selector") }
                if roi == nil || k > (roi?.k ?? 0) { roi = (k, c.name ?? "ROI floor \(fmtPlain(k))", renderPath(p)) }
                used = true
            }
            if c.maxIncrease != nil || c.maxDecrease != nil {
                for j in members where resolved[j].lower != resolved[j].upper || resolved[j].lower == 0 {
                    let cur = resolved[j].current
                    if let inc = c.maxIncrease { resolved[j].upper = min(resolved[j].upper, cur * (1 + inc)) }
                    if let dec = c.maxDecrease { resolved[j].lower = max(resolved[j].lower, min(cur * (1 - dec), resolved[j].upper)) }
                    if resolved[j].lower > resolved[j].upper * (1 + 1e-12) + 1e-9 {
                        throw .invalidValue(path(p), reason: "change limits leave cell \(resolved[j].id) no feasible spend (\(fmtPlain(resolved[j].lower)) > \(fmtPlain(resolved[j].upper)))")
                    }
                }
                used = true
            }
            if let cap = c.unitsPerCustomer {
                let bySegment = Dictionary(grouping: members, by: { resolved[$0].segment })
                for s in bySegment.keys.sorted() {
                    caps.append(FrequencyCap(
                        name: (c.name ?? "frequency cap \(fmtPlain(cap))/customer") + " (\(segs[s].id))", segment: s,
                        cells: bySegment[s] ?? [], maxUnits: cap * segs[s].customers, source: renderPath(p)))
                }
                used = true
            }
            if c.min != nil || c.max != nil || c.minShare != nil || c.maxShare != nil {
                guard let selector else {
                    throw .invalidValue(path(p), reason: "min/max/min_share/max_share need a group (moment, stage, segment, channel, tag or label); use budget for the total")
                }
                if let lo = c.min, let hi = c.max, lo > hi {
                    throw .invalidValue(path(p + [.key("min")]), reason: "min \(fmtPlain(lo)) exceeds max \(fmtPlain(hi))")
                }
                if let lo = c.minShare, let hi = c.maxShare, lo > hi {
                    throw .invalidValue(path(p + [.key("min_share")]), reason: "min_share \(lo) exceeds max_share \(hi)")
                }
                groups.append(GroupConstraint(
                    name: c.name ?? AllocationProblem.defaultName(selector, c), selector: selector, cells: members,
                    min: c.min, max: c.max, minShare: c.minShare, maxShare: c.maxShare, source: renderPath(p)))
                used = true
            }
            guard used else {
                throw .invalidValue(path(p), reason: "the constraint sets nothing (give min, max, min_share, max_share, roi_floor, max_increase, max_decrease or units_per_customer)")
            }
        }
        cells = resolved
        self.groups = groups
        roiFloor = roi
        frequencyCaps = caps
    }

    static func defaultName(_ selector: Selector, _ c: Plan.Constraint) -> String {
        var parts: [String] = []
        if let v = c.min { parts.append("floor \(fmtPlain(v))") }
        if let v = c.max { parts.append("cap \(fmtPlain(v))") }
        if let v = c.minShare { parts.append("min share \(fmtPlain(v * 100))%") }
        if let v = c.maxShare { parts.append("max share \(fmtPlain(v * 100))%") }
        return "\(selector.description) " + parts.joined(separator: ", ")
    }

    /// Resolves a response specification into a concave piecewise-linear response.
    static func response(
        _ r: Plan.Response, path p: [PlanPathComponent], locator: PlanLocator, defaultPieces: Int, saturation: Double,
        nonconcave: Plan.Options.NonConcave, warnings: inout [String]
    ) throws(AllocationError) -> (PiecewiseLinearResponse, SmoothResponse?, Double) {
        let forms = [r.breakpoints != nil, r.saturating != nil, r.hill != nil].filter { $0 }.count
        guard forms == 1 else {
            throw .invalidValue(locator.location(p), reason: "a response has exactly one of breakpoints, saturating, hill (found \(forms))")
        }
        if let points = r.breakpoints {
            let bp = p + [.key("breakpoints")]
            guard points.count >= 2 else { throw .invalidValue(locator.location(bp), reason: "at least two breakpoints [[0, 0], [spend, uplift], …]") }
            var spends: [Double] = []
            var uplifts: [Double] = []
            for (k, pair) in points.enumerated() {
                guard pair.count == 2, pair[0].isFinite, pair[1].isFinite else {
                    throw .invalidValue(locator.location(bp + [.index(k)]), reason: "a breakpoint is a pair [spend, uplift] of finite numbers")
                }
                if k == 0 && (pair[0] != 0 || pair[1] != 0) {
                    throw .invalidValue(locator.location(bp + [.index(0)]), reason: "breakpoints must start at [0, 0]")
                }
                if k > 0 && !(pair[0] > spends[k - 1]) {
                    throw .invalidValue(locator.location(bp + [.index(k)]), reason: "spend must increase strictly (\(fmtPlain(pair[0])) after \(fmtPlain(spends[k - 1])))")
                }
                if k > 0 && pair[1] < uplifts[k - 1] {
                    throw .invalidValue(locator.location(bp + [.index(k)]), reason: "uplift must not decrease (\(fmtPlain(pair[1])) after \(fmtPlain(uplifts[k - 1])))")
                }
                spends.append(pair[0])
                uplifts.append(pair[1])
            }
            if !PiecewiseLinearResponse.isConcave(spends: spends, uplifts: uplifts) {
                var k = 1
                while k + 1 < spends.count {
                    let a = (uplifts[k] - uplifts[k - 1]) / (spends[k] - spends[k - 1])
                    let b = (uplifts[k + 1] - uplifts[k]) / (spends[k + 1] - spends[k])
                    if b > a + 1e-12 * max(1, abs(a)) { break }
                    k += 1
                }
                if nonconcave == .reject {
                    throw .invalidValue(locator.location(bp + [.index(min(k + 1, spends.count - 1))]), reason: "breakpoints are not concave: the slope rises after [\(fmtPlain(spends[k])), \(fmtPlain(uplifts[k]))] (set options.nonconcave: envelope to use the concave envelope)")
                }
                warnings.append("\(renderPath(bp)): non-concave breakpoints replaced by their concave envelope")
                return (PiecewiseLinearResponse.concaveEnvelope(spends: spends, uplifts: uplifts), nil, 0)
            }
            return (PiecewiseLinearResponse(spends: spends, uplifts: uplifts), nil, 0)
        }
        let isHill = r.hill != nil
        guard let c = r.saturating ?? r.hill else { throw .invalidValue(locator.location(p), reason: "missing response") }
        let cp = p + [.key(isHill ? "hill" : "saturating")]
        guard c.maxUplift.isFinite && c.maxUplift > 0 else {
            throw .invalidValue(locator.location(cp + [.key("max_uplift")]), reason: "max_uplift must be > 0")
        }
        let curve: SmoothResponse
        if isHill {
            guard let h = c.halfSaturation, h.isFinite, h > 0 else {
                throw .invalidValue(locator.location(cp + [.key("half_saturation")]), reason: "the hill form needs half_saturation > 0")
            }
            curve = .hill(maxUplift: c.maxUplift, halfSaturation: h)
        } else {
            guard let s = c.scale, s.isFinite, s > 0 else {
                throw .invalidValue(locator.location(cp + [.key("scale")]), reason: "the saturating form needs scale > 0")
            }
            curve = .saturating(maxUplift: c.maxUplift, scale: s)
        }
        let pieces = c.pieces ?? defaultPieces
        guard pieces >= 1 && pieces <= 1000 else { throw .invalidValue(locator.location(cp + [.key("pieces")]), reason: "pieces must be in 1...1000") }
        let maxSpend = c.maxSpend ?? curve.spend(atFraction: saturation)
        guard maxSpend.isFinite && maxSpend > 0 else { throw .invalidValue(locator.location(cp + [.key("max_spend")]), reason: "max_spend must be > 0") }
        let (response, error) = curve.linearized(pieces: pieces, maxSpend: maxSpend)
        return (response, curve, error)
    }

    /// Segments from a `capm segment --format json` report (its `profiles`) or a JSON array of profiles.
    static func segments(from url: URL) throws(AllocationError) -> [Segment] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .segmentsFile(path: url.path, reason: "cannot read the file") }
        let profiles: [SegmentProfile]
        if let report = try? JSONDecoder().decode(SegmentationReport.self, from: data) {
            guard let p = report.profiles else { throw .segmentsFile(path: url.path, reason: "the report has no profiles (run capm segment with CLV)") }
            profiles = p
        } else if let p = try? JSONDecoder().decode([SegmentProfile].self, from: data) {
            profiles = p
        } else {
            throw .segmentsFile(path: url.path, reason: "neither a capm segment JSON report nor a JSON array of segment profiles")
        }
        return profiles.map { p in
            let s = Plan.Segment(profile: p)
            return Segment(id: s.id, name: s.name ?? s.id, label: s.label, customers: s.customers, clv: s.clv ?? 0)
        }
    }
}

/// A number without trailing zeros, grouped by thousands when whole (for messages).
func fmtPlain(_ v: Double) -> String {
    if v.isInfinite { return v > 0 ? "∞" : "-∞" }
    if v == v.rounded() && abs(v) < 1e15 { return grouped(Int64(v)) }
    return String(format: "%.6g", v)
}

/// `1234567` → `1,234,567`.
func grouped(_ n: Int64) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return n < 0 ? "-" + out : out
}
