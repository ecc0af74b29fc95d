/// Builders of the report's charts: each turns a few aggregate numbers into an ``SVGDocument``.
///
/// Charts never draw one element per customer: their element counts depend on the number of bins, segments,
/// cells, moments and sweep points only. Colours and line styles come from CSS classes (`bar`, `current`,
/// `optimal`, `curve`, …) defined in the page's style sheet, so print styles apply.
public enum Chart {
    /// A data series of a bar or line chart.
    public struct Series: Sendable {
        /// Legend name.
        public var name: String
        /// CSS class of its marks.
        public var cssClass: String
        /// Values, one per category (bars) or `(x, y)` points (lines).
        public var values: [Double]
        /// Points for line charts.
        public var points: [(Double, Double)]

        /// A bar series.
        public init(name: String, cssClass: String, values: [Double]) {
            self.name = name
            self.cssClass = cssClass
            self.values = values
            points = []
        }

        /// A line series.
        public init(name: String, cssClass: String, points: [(Double, Double)]) {
            self.name = name
            self.cssClass = cssClass
            values = []
            self.points = points
        }
    }

    /// A legend: one swatch and name per series, in a row from `(x, y)`.
    static func legend(_ items: [(name: String, cssClass: String)], x: Double, y: Double) -> SVGElement {
        var out: [SVGElement] = []
        var cx = x
        for item in items {
            out.append(SVGElement("rect", [("x", n(cx)), ("y", n(y - 9)), ("width", "10"), ("height", "10"), ("class", "swatch " + item.cssClass)]))
            out.append(.text(item.name, [("x", n(cx + 14)), ("y", n(y)), ("class", "legend")]))
            cx += 24 + 6.5 * Double(item.name.count)
        }
        return .group([("class", "legend")], out)
    }

    /// `Markup.number` with 2 decimals.
    static func n(_ v: Double) -> String { Markup.number(v) }

    /// `text` cut to `limit` characters with an ellipsis.
    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
    }
}
