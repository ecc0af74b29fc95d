/// The plotting area of a chart inside its SVG canvas, with the two axis scales and the drawing of axes,
/// grid lines and labels.
///
/// Coordinates: SVG user units, y growing downwards; ``x(_:)`` and ``y(_:)`` map data values into the plot
/// rectangle `[left, left + width] × [top, top + height]`.
public struct ChartFrame: Sendable {
    /// Canvas width.
    public var canvasWidth: Double
    /// Canvas height.
    public var canvasHeight: Double
    /// Left edge of the plot area.
    public var left: Double
    /// Top edge of the plot area.
    public var top: Double
    /// Width of the plot area.
    public var width: Double
    /// Height of the plot area.
    public var height: Double
    /// Horizontal scale.
    public var xScale: AxisScale
    /// Vertical scale.
    public var yScale: AxisScale

    /// A frame on a `canvasWidth × canvasHeight` canvas with the given margins.
    public init(
        canvasWidth: Double = 640, canvasHeight: Double = 340, margins: (top: Double, right: Double, bottom: Double, left: Double) = (20, 20, 48, 64),
        x: AxisScale, y: AxisScale
    ) {
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
        left = margins.left
        top = margins.top
        width = canvasWidth - margins.left - margins.right
        height = canvasHeight - margins.top - margins.bottom
        xScale = x
        yScale = y
    }

    /// Bottom edge of the plot area.
    public var bottom: Double { top + height }
    /// Right edge of the plot area.
    public var right: Double { left + width }

    /// The SVG x of data value `v`.
    public func x(_ v: Double) -> Double { left + width * xScale.fraction(v) }
    /// The SVG y of data value `v`.
    public func y(_ v: Double) -> Double { bottom - height * yScale.fraction(v) }

    /// Number formatting `n` with 2 decimals.
    static func n(_ v: Double) -> String { Markup.number(v) }

    /// Axes with ticks, tick labels, light grid lines and axis titles.
    public func axes(xTitle: String, yTitle: String, xLabel: (Double) -> String = Markup.compact,
                     yLabel: (Double) -> String = Markup.compact, xTicks: [Double]? = nil, yTicks: [Double]? = nil) -> SVGElement {
        let n = ChartFrame.n
        var items: [SVGElement] = []
        for t in yTicks ?? yScale.ticks() {
            let yy = y(t)
            items.append(SVGElement("line", [("x1", n(left)), ("y1", n(yy)), ("x2", n(right)), ("y2", n(yy)), ("class", "grid")]))
            items.append(.text(yLabel(t), [("x", n(left - 6)), ("y", n(yy + 4)), ("class", "tick"), ("text-anchor", "end")]))
        }
        for t in xTicks ?? xScale.ticks() {
            let xx = x(t)
            items.append(SVGElement("line", [("x1", n(xx)), ("y1", n(bottom)), ("x2", n(xx)), ("y2", n(bottom + 4)), ("class", "axis")]))
            items.append(.text(xLabel(t), [("x", n(xx)), ("y", n(bottom + 17)), ("class", "tick"), ("text-anchor", "middle")]))
        }
        items.append(SVGElement("line", [("x1", n(left)), ("y1", n(bottom)), ("x2", n(right)), ("y2", n(bottom)), ("class", "axis")]))
        items.append(SVGElement("line", [("x1", n(left)), ("y1", n(top)), ("x2", n(left)), ("y2", n(bottom)), ("class", "axis")]))
        items.append(.text(xTitle, [("x", n(left + width / 2)), ("y", n(canvasHeight - 8)), ("class", "axis-title"), ("text-anchor", "middle")]))
        items.append(.text(yTitle, [("x", n(14)), ("y", n(top + height / 2)), ("class", "axis-title"), ("text-anchor", "middle"),
                                    ("transform", "rotate(-90 14 \(n(top + height / 2)))")]))
        return .group([("class", "axes")], items)
    }

    /// A right-hand axis for a second series on `scale` (ticks and labels at the plot's right edge).
    public func rightAxis(_ scale: AxisScale, title: String, label: (Double) -> String = Markup.compact) -> SVGElement {
        let n = ChartFrame.n
        var items: [SVGElement] = []
        for t in scale.ticks() {
            let yy = bottom - height * scale.fraction(t)
            items.append(SVGElement("line", [("x1", n(right)), ("y1", n(yy)), ("x2", n(right + 4)), ("y2", n(yy)), ("class", "axis")]))
            items.append(.text(label(t), [("x", n(right + 7)), ("y", n(yy + 4)), ("class", "tick second"), ("text-anchor", "start")]))
        }
        items.append(SVGElement("line", [("x1", n(right)), ("y1", n(top)), ("x2", n(right)), ("y2", n(bottom)), ("class", "axis")]))
        let cx = canvasWidth - 10
        items.append(.text(title, [("x", n(cx)), ("y", n(top + height / 2)), ("class", "axis-title second"), ("text-anchor", "middle"),
                                   ("transform", "rotate(90 \(n(cx)) \(n(top + height / 2)))")]))
        return .group([("class", "axes right")], items)
    }

    /// A polyline through `points` (data coordinates), with a CSS class.
    public func polyline(_ points: [(Double, Double)], cssClass: String, scaleY: AxisScale? = nil) -> SVGElement {
        let ys = scaleY ?? yScale
        let text = points.map { p in "\(ChartFrame.n(x(p.0))),\(ChartFrame.n(bottom - height * ys.fraction(p.1)))" }.joined(separator: " ")
        return SVGElement("polyline", [("points", text), ("class", cssClass), ("fill", "none")])
    }
}
