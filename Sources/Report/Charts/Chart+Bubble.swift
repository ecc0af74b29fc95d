extension Chart {
    /// A bubble of the portfolio map.
    public struct Bubble: Sendable {
        /// Label drawn beside the bubble.
        public var label: String
        /// x value (mean P(alive)).
        public var x: Double
        /// y value (mean CLV).
        public var y: Double
        /// Size (customers); the bubble's area is proportional to it.
        public var size: Double
        /// CSS class (e.g. the portfolio label).
        public var cssClass: String

        /// A bubble.
        public init(label: String, x: Double, y: Double, size: Double, cssClass: String) {
            self.label = label
            self.x = x
            self.y = y
            self.size = size
            self.cssClass = cssClass
        }
    }

    /// The portfolio map: bubbles at (x, y) with area ∝ size (radius `r = 36·√(size / max size)`), labelled.
    /// - Complexity: O(bubbles).
    public static func bubbles(_ items: [Bubble], title: String, xTitle: String, yTitle: String) -> SVGDocument {
        let items = items.filter { $0.x.isFinite && $0.y.isFinite && $0.size.isFinite }
        let maxY = items.map(\.y).max() ?? 1
        let minY = min(0, items.map(\.y).min() ?? 0)
        let frame = ChartFrame(canvasWidth: 640, canvasHeight: 380, margins: (30, 30, 48, 72), x: .linear(lo: -0.04, hi: 1.08), y: .niceLinear(minY, maxY * 1.2))
        var doc = SVGDocument(width: frame.canvasWidth, height: frame.canvasHeight, title: title)
        doc.append(frame.axes(xTitle: xTitle, yTitle: yTitle, xLabel: { Markup.number($0, decimals: 1) }))
        let maxSize = max(items.map(\.size).max() ?? 1, 1e-12)
        var marks: [SVGElement] = []
        // Largest first, so small bubbles stay visible on top.
        for b in items.sorted(by: { $0.size != $1.size ? $0.size > $1.size : $0.label < $1.label }) {
            let r = 36 * (max(b.size, 0) / maxSize).squareRoot()
            let cx = frame.x(min(max(b.x, 0), 1))
            let cy = frame.y(b.y)
            marks.append(SVGElement("circle", [("cx", n(cx)), ("cy", n(cy)), ("r", n(max(r, 2))), ("class", "bubble " + b.cssClass)])
                .titled("\(b.label): \(Markup.grouped(Int(b.size))) customers, mean P(alive) \(Markup.fixed(b.x, decimals: 2)), mean CLV \(Markup.money(b.y))"))
            let anchor = cx > frame.left + frame.width * 0.75 ? "end" : "start"
            let dx = anchor == "end" ? -(max(r, 2) + 4) : max(r, 2) + 4
            marks.append(.text(b.label, [("x", n(cx + dx)), ("y", n(cy + 4)), ("class", "annotation"), ("text-anchor", anchor)]))
        }
        doc.append(.group([("class", "bubbles")], marks))
        return doc
    }
}
