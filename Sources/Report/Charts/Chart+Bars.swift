extension Chart {
    /// Horizontal grouped bars: one row per category, one bar per series (e.g. current vs optimal spend per
    /// cell). The canvas grows with the number of categories (22 units per series and row).
    /// - Complexity: O(categories × series).
    public static func horizontalBars(categories: [String], series: [Series], title: String, valueTitle: String) -> SVGDocument {
        let rowHeight = 8 + 11 * Double(max(series.count, 1))
        let height = 70 + rowHeight * Double(max(categories.count, 1))
        let maxValue = series.flatMap(\.values).filter(\.isFinite).max() ?? 0
        let frame = ChartFrame(canvasWidth: 640, canvasHeight: height, margins: (28, 24, 42, 200), x: .niceLinear(0, max(maxValue, 1e-9)), y: .linear(lo: 0, hi: 1))
        var doc = SVGDocument(width: frame.canvasWidth, height: frame.canvasHeight, title: title)
        doc.append(frame.axes(xTitle: valueTitle, yTitle: "", yTicks: []))
        doc.append(legend(series.map { ($0.name, $0.cssClass) }, x: frame.left, y: 16))
        var marks: [SVGElement] = []
        for (i, category) in categories.enumerated() {
            let top = frame.top + rowHeight * Double(i) + 4
            marks.append(.text(clip(category, 32), [("x", n(frame.left - 6)), ("y", n(top + rowHeight / 2)), ("class", "tick"), ("text-anchor", "end")]))
            for (j, s) in series.enumerated() where i < s.values.count {
                let v = s.values[i].isFinite ? s.values[i] : 0
                let y = top + 11 * Double(j)
                let w = max(0, frame.x(v) - frame.left)
                marks.append(SVGElement("rect", [("x", n(frame.left)), ("y", n(y)), ("width", n(w)), ("height", "9"), ("class", "bar " + s.cssClass)])
                    .titled("\(category) — \(s.name): \(Markup.money(v))"))
            }
        }
        doc.append(.group([("class", "bars")], marks))
        return doc
    }

    /// Vertical grouped bars: one group per category along x.
    /// - Complexity: O(categories × series).
    public static func verticalBars(categories: [String], series: [Series], title: String, valueTitle: String) -> SVGDocument {
        let maxValue = series.flatMap(\.values).filter(\.isFinite).max() ?? 0
        let frame = ChartFrame(canvasWidth: 640, canvasHeight: 300, margins: (30, 20, 48, 64), x: .linear(lo: 0, hi: Double(max(categories.count, 1))), y: .niceLinear(0, max(maxValue, 1e-9)))
        var doc = SVGDocument(width: frame.canvasWidth, height: frame.canvasHeight, title: title)
        doc.append(frame.axes(xTitle: "", yTitle: valueTitle, xTicks: []))
        doc.append(legend(series.map { ($0.name, $0.cssClass) }, x: frame.left, y: 16))
        let slot = frame.width / Double(max(categories.count, 1))
        let barWidth = min(36, (slot - 12) / Double(max(series.count, 1)))
        var marks: [SVGElement] = []
        for (i, category) in categories.enumerated() {
            let center = frame.left + slot * (Double(i) + 0.5)
            let start = center - barWidth * Double(series.count) / 2
            for (j, s) in series.enumerated() where i < s.values.count {
                let v = s.values[i].isFinite ? max(0, s.values[i]) : 0
                let y = frame.y(v)
                marks.append(SVGElement("rect", [("x", n(start + barWidth * Double(j))), ("y", n(y)), ("width", n(barWidth - 2)), ("height", n(frame.bottom - y)), ("class", "bar " + s.cssClass)])
                    .titled("\(category) — \(s.name): \(Markup.money(v))"))
            }
            marks.append(.text(clip(category, 16), [("x", n(center)), ("y", n(frame.bottom + 16)), ("class", "tick"), ("text-anchor", "middle")]))
        }
        doc.append(.group([("class", "bars")], marks))
        return doc
    }

    /// A heat map: rows × columns of values, cell shade ∝ value / max (opacity 0.06…1), each cell labelled
    /// with its compact value; `nil` cells (no such combination) are left blank.
    /// - Complexity: O(rows × columns).
    public static func heatMap(rows: [String], columns: [String], columnNotes: [String], values: [[Double?]], title: String) -> SVGDocument {
        let cellW = max(54, min(96, 440 / Double(max(columns.count, 1))))
        let cellH = 26.0
        let left = 190.0
        let top = 44.0
        let width = left + cellW * Double(columns.count) + 20
        let height = top + cellH * Double(rows.count) + 16
        var doc = SVGDocument(width: width, height: height, title: title)
        let maxValue = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite).max() ?? 0
        var marks: [SVGElement] = []
        for (j, c) in columns.enumerated() {
            let cx = left + cellW * (Double(j) + 0.5)
            let fits = max(4, Int(cellW / 6.5))
            marks.append(.text(clip(c, fits), [("x", n(cx)), ("y", "18"), ("class", "tick strong"), ("text-anchor", "middle")]))
            if j < columnNotes.count {
                marks.append(.text(clip(columnNotes[j], fits), [("x", n(cx)), ("y", "34"), ("class", "tick"), ("text-anchor", "middle")]))
            }
        }
        for (i, r) in rows.enumerated() {
            let y = top + cellH * Double(i)
            marks.append(.text(clip(r, 30), [("x", n(left - 8)), ("y", n(y + cellH / 2 + 4)), ("class", "tick"), ("text-anchor", "end")]))
            for j in columns.indices {
                let x = left + cellW * Double(j)
                let v = i < values.count && j < values[i].count ? values[i][j] : nil
                guard let v, v.isFinite else {
                    marks.append(SVGElement("rect", [("x", n(x + 1)), ("y", n(y + 1)), ("width", n(cellW - 2)), ("height", n(cellH - 2)), ("class", "heat-na")]))
                    continue
                }
                let opacity = maxValue > 0 ? 0.06 + 0.94 * max(0, v) / maxValue : 0.06
                marks.append(SVGElement("rect", [("x", n(x + 1)), ("y", n(y + 1)), ("width", n(cellW - 2)), ("height", n(cellH - 2)), ("class", "heat"), ("fill-opacity", Markup.number(opacity, decimals: 3))])
                    .titled("\(r) × \(columns[j]): \(Markup.money(v))"))
                marks.append(.text(v > 0.5 ? Markup.compact(v) : "·", [("x", n(x + cellW / 2)), ("y", n(y + cellH / 2 + 4)), ("class", opacity > 0.55 ? "heat-label dark" : "heat-label"), ("text-anchor", "middle")]))
            }
        }
        doc.append(.group([("class", "heatmap")], marks))
        return doc
    }
}
