extension Chart {
    /// A histogram; for a log histogram the x axis is log₁₀, and values ≤ 0 get their own bar left of the axis.
    /// Each bar carries `data-count`.
    /// - Complexity: O(bins).
    public static func histogram(_ h: Histogram, title: String, xTitle: String, label: (Double) -> String = Markup.compact) -> SVGDocument {
        let showBelow = h.logarithmic && h.belowRange > 0
        let lo = h.edges.first ?? 0
        let hi = h.edges.last ?? 1
        let maxCount = max(h.counts.max() ?? 0, showBelow ? h.belowRange : 0)
        let x: AxisScale = h.logarithmic ? .log(lo: lo, hi: hi) : .linear(lo: lo, hi: hi)
        let frame = ChartFrame(margins: (20, 20, 48, showBelow ? 104 : 64), x: x, y: .niceLinear(0, Double(max(maxCount, 1))))
        var doc = SVGDocument(width: frame.canvasWidth, height: frame.canvasHeight, title: title)
        let xTicks = h.logarithmic ? thinned(x.ticks(), max: 9) : nil
        doc.append(frame.axes(xTitle: xTitle, yTitle: "customers", xLabel: label, yLabel: { Markup.compact($0) }, xTicks: xTicks))
        var bars: [SVGElement] = []
        for i in h.counts.indices where h.counts[i] > 0 {
            let x0 = frame.x(h.edges[i])
            let x1 = frame.x(h.edges[i + 1])
            let y0 = frame.y(Double(h.counts[i]))
            bars.append(SVGElement("rect", [
                ("x", n(x0)), ("y", n(y0)), ("width", n(max(0.5, x1 - x0 - 0.6))), ("height", n(frame.bottom - y0)),
                ("class", "bar"), ("data-count", "\(h.counts[i])"),
            ]).titled("\(label(h.edges[i])) – \(label(h.edges[i + 1])): \(Markup.grouped(h.counts[i])) customers"))
        }
        if showBelow {
            let y0 = frame.y(Double(h.belowRange))
            bars.append(SVGElement("rect", [
                ("x", n(frame.left - 34)), ("y", n(y0)), ("width", "22"), ("height", n(frame.bottom - y0)),
                ("class", "bar below"), ("data-count", "\(h.belowRange)"),
            ]).titled("≤ 0: \(Markup.grouped(h.belowRange)) customers"))
            bars.append(.text("≤ 0", [("x", n(frame.left - 23)), ("y", n(frame.bottom + 17)), ("class", "tick"), ("text-anchor", "middle")]))
        }
        doc.append(.group([("class", "bars")], bars))
        return doc
    }

    /// At most `max` ticks, evenly thinned, ends kept.
    static func thinned(_ ticks: [Double], max: Int) -> [Double] {
        guard ticks.count > max, max >= 2 else { return ticks }
        let step = Int((Double(ticks.count - 1) / Double(max - 1)).rounded(.up))
        return ticks.enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }

    /// The Lorenz curve with the line of equality and the top-share readouts marked.
    /// - Complexity: O(points).
    public static func lorenz(_ curve: LorenzCurve, title: String) -> SVGDocument {
        let frame = ChartFrame(canvasWidth: 420, canvasHeight: 340, margins: (20, 20, 48, 64), x: .linear(lo: 0, hi: 1), y: .linear(lo: 0, hi: 1))
        var doc = SVGDocument(width: frame.canvasWidth, height: frame.canvasHeight, title: title)
        let pct: (Double) -> String = { Markup.number(100 * $0, decimals: 0) + "%" }
        doc.append(frame.axes(xTitle: "share of customers (least valuable first)", yTitle: "share of value", xLabel: pct, yLabel: pct))
        doc.append(frame.polyline([(0, 0), (1, 1)], cssClass: "equality"))
        doc.append(frame.polyline(curve.points.map { ($0.p, $0.share) }, cssClass: "curve lorenz"))
        var marks: [SVGElement] = []
        for t in curve.topShares where t.fraction >= 0.1 {
            let px = 1 - t.fraction
            let py = 1 - t.share
            marks.append(SVGElement("circle", [("cx", n(frame.x(px))), ("cy", n(frame.y(py))), ("r", "3.5"), ("class", "mark")]))
            marks.append(.text("top \(Markup.number(100 * t.fraction, decimals: 0)) % hold \(Markup.percent(t.share, decimals: 0))",
                               [("x", n(frame.x(px) - 6)), ("y", n(frame.y(py) - 8)), ("class", "annotation"), ("text-anchor", "end")]))
        }
        doc.append(.group([("class", "marks")], marks))
        return doc
    }
}
