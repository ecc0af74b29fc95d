extension Chart {
    /// A point marked on a line chart.
    public struct Marker: Sendable {
        /// Position (x, y) in data units.
        public var x: Double
        /// y.
        public var y: Double
        /// Text beside it (may be empty).
        public var label: String
        /// CSS class (`current`, `optimal`, `knee`).
        public var cssClass: String

        /// A marker.
        public init(x: Double, y: Double, label: String, cssClass: String) {
            self.x = x
            self.y = y
            self.label = label
            self.cssClass = cssClass
        }
    }

    /// A line chart with optional markers, vertical guide lines and a second series on a right-hand axis.
    /// - Complexity: O(points).
    public static func lines(
        _ series: [Series], markers: [Marker] = [], guides: [(x: Double, label: String)] = [], secondary: Series? = nil,
        secondaryTitle: String = "", title: String, xTitle: String, yTitle: String,
        size: (width: Double, height: Double) = (640, 340), showLegend: Bool = true
    ) -> SVGDocument {
        // Non-finite values (an infeasible budget's uplift is NaN in the JSON) are left out of the chart.
        func finite(_ p: [(Double, Double)]) -> [(Double, Double)] { p.filter { $0.0.isFinite && $0.1.isFinite } }
        let series = series.map { Series(name: $0.name, cssClass: $0.cssClass, points: finite($0.points)) }
        let secondary = secondary.map { Series(name: $0.name, cssClass: $0.cssClass, points: finite($0.points)) }
        let markers = markers.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = series.flatMap { $0.points.map(\.0) } + markers.map(\.x) + (secondary?.points.map(\.0) ?? [])
        let ys = series.flatMap { $0.points.map(\.1) } + markers.map(\.y)
        let small = size.width < 400
        let frame = ChartFrame(
            canvasWidth: size.width, canvasHeight: size.height,
            margins: (showLegend ? 30 : 14, secondary == nil ? 18 : 64, small ? 36 : 48, small ? 52 : 64),
            x: .niceLinear(min(0, xs.min() ?? 0), xs.max() ?? 1, ticks: small ? 3 : 5),
            y: .niceLinear(min(0, ys.min() ?? 0), (ys.max() ?? 1) * 1.05, ticks: small ? 3 : 5))
        var doc = SVGDocument(width: frame.canvasWidth, height: frame.canvasHeight, title: title)
        doc.append(frame.axes(xTitle: xTitle, yTitle: yTitle, xTicks: frame.xScale.ticks(count: small ? 3 : 5), yTicks: frame.yScale.ticks(count: small ? 3 : 5)))
        if let secondary {
            let sy = secondary.points.map(\.1)
            let scale = AxisScale.niceLinear(min(0, sy.min() ?? 0), (sy.max() ?? 1) * 1.05)
            doc.append(frame.rightAxis(scale, title: secondaryTitle, label: { Markup.number($0, decimals: 2) }))
            doc.append(frame.polyline(secondary.points, cssClass: "line " + secondary.cssClass, scaleY: scale))
        }
        for g in guides where g.x.isFinite {
            let x = frame.x(g.x)
            doc.append(SVGElement("line", [("x1", n(x)), ("y1", n(frame.top)), ("x2", n(x)), ("y2", n(frame.bottom)), ("class", "guide")]))
            doc.append(.text(g.label, [("x", n(x + 4)), ("y", n(frame.top + 12)), ("class", "annotation")]))
        }
        for s in series { doc.append(frame.polyline(s.points, cssClass: "line " + s.cssClass)) }
        var marks: [SVGElement] = []
        var placed: [(x: Double, y: Double)] = []
        for m in markers {
            let x = frame.x(m.x)
            let y = frame.y(m.y)
            marks.append(SVGElement("circle", [("cx", n(x)), ("cy", n(y)), ("r", small ? "3.5" : "5"), ("class", "marker " + m.cssClass)])
                .titled("\(m.label.isEmpty ? m.cssClass : m.label): \(Markup.money(m.x)) → \(Markup.money(m.y))"))
            if !m.label.isEmpty {
                let anchor = x > frame.left + frame.width * 0.7 ? "end" : "start"
                // A label that would overlap one already placed goes above its marker instead of below.
                var ly = y + 14
                if placed.contains(where: { abs($0.x - x) < 90 && abs($0.y - ly) < 14 }) { ly = y - 9 }
                placed.append((x, ly))
                marks.append(.text(m.label, [("x", n(x + (anchor == "end" ? -8 : 8))), ("y", n(ly)), ("class", "annotation"), ("text-anchor", anchor)]))
            }
        }
        doc.append(.group([("class", "markers")], marks))
        if showLegend {
            var items = series.map { (name: $0.name, cssClass: $0.cssClass) }
            if let secondary { items.append((secondary.name, secondary.cssClass)) }
            doc.append(legend(items, x: frame.left, y: 16))
        }
        return doc
    }
}
