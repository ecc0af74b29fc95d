import Testing

@testable import Report

@Suite("SVG writer")
struct SVGTests {
    @Test("numbers: fixed decimals, trailing zeros trimmed, no -0, non-finite as 0",
          arguments: [(12.5, "12.5"), (3.0, "3"), (-0.001, "0"), (1.005, "1"), (2.0 / 3.0, "0.67"), (-1234.567, "-1234.57"), (.infinity, "0"), (.nan, "0")])
    func numbers(_ value: Double, _ text: String) {
        #expect(Markup.number(value) == text)
    }

    @Test("grouped integers and money")
    func money() {
        #expect(Markup.grouped(1_234_567) == "1,234,567")
        #expect(Markup.grouped(-999) == "-999")
        #expect(Markup.grouped(1000) == "1,000")
        #expect(Markup.money(12345.6) == "12,346")
        #expect(Markup.money(3.071) == "3.07")
        #expect(Markup.compact(12_500) == "12.5k")
        #expect(Markup.compact(3_200_000) == "3.2M")
    }

    @Test("escaping of text and attributes")
    func escaping() {
        #expect(Markup.escapeText("a < b & c > d") == "a &lt; b &amp; c &gt; d")
        #expect(Markup.escapeAttribute("say \"hi\" & 'bye'\u{1}") == "say &quot;hi&quot; &amp; &#39;bye&#39;")
        var out = ""
        SVGElement.text("<segment & co>", [("class", "x\"y")]).render(into: &out)
        #expect(out == "<text class=\"x&quot;y\">&lt;segment &amp; co&gt;</text>")
    }

    @Test("a document renders well-formed, self-closing empty elements, with its title")
    func document() {
        var doc = SVGDocument(width: 100, height: 50, title: "A & B")
        doc.append(SVGElement("rect", [("x", Markup.number(1.25)), ("width", "10")]))
        doc.append(.group([("class", "g")], [SVGElement("circle", [("r", "2")]).titled("dot <1>")]))
        let text = doc.render()
        #expect(text.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 50\""))
        #expect(text.contains("<rect x=\"1.25\" width=\"10\"/>"))
        #expect(text.contains("<title>A &amp; B</title>"))
        #expect(HTMLChecker(text).errors.isEmpty)
        #expect(doc.elementCount == 6)
    }

    @Test("axis scales: nice linear ticks, log ticks at powers of ten")
    func scales() {
        let s = AxisScale.niceLinear(0, 87)
        #expect(s == .linear(lo: 0, hi: 100))
        #expect(s.ticks() == [0, 20, 40, 60, 80, 100])
        let l = AxisScale.log(lo: 0.5, hi: 2000)
        #expect(l.ticks() == [1, 10, 100, 1000])
        #expect(abs(l.fraction(2000) - 1) < 1e-12 && abs(l.fraction(0.5)) < 1e-12)
        #expect(AxisScale.log(lo: 1, hi: 50).ticks() == [1, 2, 5, 10, 20, 50])
        #expect(AxisScale.niceLinear(5, 5).upper > 5)
    }

    @Test("every chart builder gives a well-formed SVG")
    func chartsWellFormed() throws {
        let (clv, p) = syntheticCLV(2000)
        let docs: [SVGDocument] = [
            Chart.histogram(.logarithmic(clv), title: "h", xTitle: "x"),
            Chart.histogram(.linear(p, lo: 0, hi: 1), title: "p", xTitle: "x"),
            Chart.lorenz(try #require(LorenzCurve(clv)), title: "l"),
            Chart.bubbles([.init(label: "a & b", x: 0.4, y: 10, size: 100, cssClass: "champions"), .init(label: "c", x: 0.9, y: 1, size: 5, cssClass: "dormant")], title: "b", xTitle: "x", yTitle: "y"),
            Chart.horizontalBars(categories: ["one", "two"], series: [.init(name: "current", cssClass: "current", values: [1, 2]), .init(name: "optimal", cssClass: "optimal", values: [3, 0])], title: "hb", valueTitle: "v"),
            Chart.verticalBars(categories: ["a", "b", "c"], series: [.init(name: "s", cssClass: "optimal", values: [1, 2, 3])], title: "vb", valueTitle: "v"),
            Chart.heatMap(rows: ["r1", "r2"], columns: ["c1", "c2"], columnNotes: ["n1", "n2"], values: [[1, nil], [0, 4]], title: "hm"),
            Chart.lines([.init(name: "u", cssClass: "uplift", points: [(0, 0), (1, 2), (2, 3)])], markers: [.init(x: 1, y: 2, label: "knee", cssClass: "knee")],
                        guides: [(x: 1.5, label: "budget")], secondary: .init(name: "price", cssClass: "price", points: [(0, 2), (1, 1), (2, 0.5)]), title: "l", xTitle: "x", yTitle: "y"),
            Chart.funnel([.init(name: "awareness", reach: 100, dropOff: 20, valueAtStake: 50), .init(name: "post_purchase", reach: 10, dropOff: 0, valueAtStake: 0)], title: "f"),
        ]
        for d in docs {
            let check = HTMLChecker(d.render())
            #expect(check.errors.isEmpty, "\(d.title): \(check.errors)")
        }
    }

    @Test("the histogram draws one bar per non-empty bin, data-count summing to N")
    func histogramBars() {
        let (clv, _) = syntheticCLV(3000)
        let h = Histogram.logarithmic(clv)
        let check = HTMLChecker(Chart.histogram(h, title: "h", xTitle: "x").render())
        let counts = check.elements.compactMap { $0.attributes["data-count"] }.compactMap(Int.init)
        #expect(counts.reduce(0, +) == 3000)
        #expect(counts.count == h.counts.filter { $0 > 0 }.count + (h.belowRange > 0 ? 1 : 0))
    }
}
