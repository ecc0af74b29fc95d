extension Chart {
    /// One stage of a funnel.
    public struct FunnelStage: Sendable {
        /// Stage name.
        public var name: String
        /// Customers reaching it.
        public var reach: Int
        /// Customers lost there.
        public var dropOff: Int
        /// Value at stake there.
        public var valueAtStake: Double

        /// A stage.
        public init(name: String, reach: Int, dropOff: Int, valueAtStake: Double) {
            self.name = name
            self.reach = reach
            self.dropOff = dropOff
            self.valueAtStake = valueAtStake
        }
    }

    /// A funnel: one centred bar per stage with width ∝ reach, the lost part shaded, and the drop-off and value
    /// at stake written beside it.
    /// - Complexity: O(stages).
    public static func funnel(_ stages: [FunnelStage], title: String) -> SVGDocument {
        let rowH = 46.0
        let barArea = 300.0
        let left = 120.0
        let height = 24 + rowH * Double(max(stages.count, 1))
        var doc = SVGDocument(width: 640, height: height, title: title)
        let maxReach = Double(max(stages.map(\.reach).max() ?? 1, 1))
        var marks: [SVGElement] = []
        for (i, s) in stages.enumerated() {
            let y = 12 + rowH * Double(i)
            let w = barArea * Double(s.reach) / maxReach
            let x = left + (barArea - w) / 2
            let lostW = s.reach > 0 ? w * Double(s.dropOff) / Double(s.reach) : 0
            marks.append(.text(s.name.replacingOccurrences(of: "_", with: " "), [("x", n(left - 10)), ("y", n(y + 20)), ("class", "tick strong"), ("text-anchor", "end")]))
            marks.append(SVGElement("rect", [("x", n(x)), ("y", n(y + 4)), ("width", n(max(w, 1))), ("height", "26"), ("class", "funnel")])
                .titled("\(s.name): reach \(Markup.grouped(s.reach))"))
            if lostW > 0 {
                marks.append(SVGElement("rect", [("x", n(x + w - lostW)), ("y", n(y + 4)), ("width", n(lostW)), ("height", "26"), ("class", "funnel lost")])
                    .titled("\(s.name): \(Markup.grouped(s.dropOff)) lost"))
            }
            marks.append(.text(Markup.grouped(s.reach), [("x", n(left + barArea / 2)), ("y", n(y + 21)), ("class", "heat-label dark"), ("text-anchor", "middle")]))
            let rate = s.reach > 0 ? Double(s.dropOff) / Double(s.reach) : 0
            marks.append(.text("lost \(Markup.grouped(s.dropOff)) (\(Markup.percent(rate, decimals: 1)))", [("x", n(left + barArea + 12)), ("y", n(y + 14)), ("class", "annotation")]))
            marks.append(.text("value at stake \(Markup.money(s.valueAtStake))", [("x", n(left + barArea + 12)), ("y", n(y + 29)), ("class", "annotation strong")]))
        }
        doc.append(.group([("class", "funnel")], marks))
        return doc
    }
}
