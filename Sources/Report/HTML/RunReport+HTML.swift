import Allocation
import CAPMNumerics
import Segmentation

extension RunReport {
    /// The section ids of the page, in order.
    public static let sectionIDs = ["headline", "values", "portfolio", "journey", "allocation", "constraints"]

    /// The self-contained HTML page: inline CSS and SVG, no scripts, fonts or network references; printable.
    /// Deterministic: a pure function of the loaded files.
    /// - Complexity: O(bins + segments + cells + sweep points): the page never grows with the customers.
    public func html() -> String {
        var w = HTMLWriter()
        w.raw("<!DOCTYPE html>\n")
        w.open("html", [("lang", "en")])
        w.open("head")
        w.open("meta", [("charset", "utf-8")])
        w.open("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
        w.element("title", [], "CAPM report — \(allocation.plan)")
        w.open("style")
        w.raw(Stylesheet.css)
        w.close()
        w.close()
        w.raw("\n")
        w.open("body")
        w.open("header")
        w.element("h1", [], "Customer asset portfolio — \(allocation.plan)")
        w.element("p", [("class", "sub")], "Run \(runName) · \(Markup.grouped(customers.count)) customers · \(segments.k) segments · CAPM \(CAPMVersion.string)")
        w.close()
        w.open("nav")
        let titles = ["Headline", "Customer value", "Segment portfolio", "Journey", "Allocation", "Constraints"]
        for (id, title) in zip(RunReport.sectionIDs, titles) { w.element("a", [("href", "#" + id)], title) }
        w.close()
        for note in notes { w.element("p", [("class", "note")], note) }
        headline(&w)
        values(&w)
        portfolio(&w)
        journeySection(&w)
        allocationSection(&w)
        constraintsSection(&w)
        runDetails(&w)
        return w.finish() + "\n"
    }

    // MARK: numbers

    /// Customers: the segment sizes of segments.json.
    var customerTotal: Int { segments.sizes.reduce(0, +) }

    /// Total CLV: Σ of the profiles' totals in segments.json (customers.csv's sum without profiles).
    var totalCLV: Double { segments.profiles.map { $0.reduce(0) { $0 + $1.totalCLV } } ?? customers.totalCLV }

    var currencySuffix: String { allocation.currency.map { " " + $0 } ?? "" }

    func money(_ v: Double) -> String { Markup.money(v) + currencySuffix }

    /// A headline figure: `data-value` holds the JSON number in full precision.
    func kpi(_ w: inout HTMLWriter, id: String, label: String, value: String, data: Double?, detail: String = "") {
        var attrs = [("class", "kpi"), ("id", "kpi-" + id)]
        if let data { attrs.append(("data-value", "\(data)")) }
        w.open("div", attrs)
        w.element("div", [("class", "label")], label)
        w.element("div", [("class", "value")], value)
        if !detail.isEmpty { w.element("div", [("class", "detail")], detail) }
        w.close()
    }

    // MARK: 1. headline

    /// The allocation in one sentence (the CLI table's first lines).
    var headlineSentence: String {
        switch allocation.status {
        case .optimal:
            var s = "Optimal plan: spend \(money(allocation.spend)) for an uplift of \(money(allocation.uplift)) in customer value"
            s += allocation.roi.map { " (ROI \(Markup.fixed($0, decimals: 2)))" } ?? ""
            s += "; the current plan spends \(money(allocation.currentSpend)) for \(money(allocation.currentUplift))."
            return s
        case .infeasible, .failed:
            return "The allocation is \(allocation.status.rawValue): \(allocation.message)"
        }
    }

    func headline(_ w: inout HTMLWriter) {
        w.open("section", [("id", "headline")])
        w.element("h2", [], "1. Headline")
        w.element("p", [("class", "lead")], headlineSentence)
        w.open("div", [("class", "kpis")])
        let n = customerTotal
        kpi(&w, id: "customers", label: "Customers", value: Markup.grouped(n), data: Double(n))
        kpi(&w, id: "total-clv", label: "Total customer lifetime value", value: money(totalCLV), data: totalCLV)
        let mean = n > 0 ? totalCLV / Double(n) : 0
        kpi(&w, id: "mean-clv", label: "Mean CLV per customer", value: money(mean), data: mean)
        kpi(&w, id: "segments", label: "Segments", value: "\(segments.k)", data: Double(segments.k))
        if let b = allocation.budget {
            kpi(&w, id: "budget", label: "Budget (\(allocation.budgetMode.replacingOccurrences(of: "_", with: " ")))", value: money(b), data: b,
                detail: "optimal spend \(money(allocation.spend))")
        }
        kpi(&w, id: "uplift", label: "Uplift in customer value", value: money(allocation.uplift), data: allocation.uplift,
            detail: "current plan \(money(allocation.currentUplift)) on \(money(allocation.currentSpend))")
        kpi(&w, id: "roi", label: "ROI (uplift / spend)", value: allocation.roi.map { Markup.fixed($0, decimals: 2) } ?? "–", data: allocation.roi)
        let change = allocation.currentUplift > 0 ? " (" + (allocation.upliftVsCurrent >= 0 ? "+" : "") + Markup.percent(allocation.upliftVsCurrent / allocation.currentUplift) + ")" : ""
        kpi(&w, id: "uplift-vs-current", label: "Uplift vs current plan", value: (allocation.upliftVsCurrent >= 0 ? "+" : "") + money(allocation.upliftVsCurrent),
            data: allocation.upliftVsCurrent, detail: "same budget, reallocated" + change)
        if let p = allocation.shadowPrice {
            var range = "valid for budgets "
            range += p.validFrom.map { "from \(money($0)) " } ?? ""
            range += p.validTo.map { "to \(money($0))" } ?? "upwards without limit"
            if let l = p.left, let r = p.right, abs(l - r) > 1e-9 * max(1, abs(l)) {
                range += "; at a breakpoint: last dollar \(Markup.fixed(l, decimals: 3)), next \(Markup.fixed(r, decimals: 3))"
            }
            kpi(&w, id: "next-dollar", label: "Next dollar of budget is worth", value: Markup.fixed(p.value, decimals: 3), data: p.value, detail: range)
        }
        w.close()
        w.close()
    }

    // MARK: 2. values

    func values(_ w: inout HTMLWriter) {
        w.open("section", [("id", "values")])
        w.element("h2", [], "2. Customer value")
        let h = customers.clvHistogram
        var lead = "\(Markup.grouped(customers.count)) customers hold \(money(customers.totalCLV)) of lifetime value."
        if let l = customers.lorenz {
            let shares = l.topShares.map { "the top \(Markup.number(100 * $0.fraction, decimals: 0)) % hold \(Markup.percent($0.share))" }
            lead += " " + shares.joined(separator: ", ") + "; Gini coefficient \(Markup.fixed(l.gini, decimals: 3))."
        }
        if let risk = customers.valueAtRisk {
            lead += " Value carried by customers who may have lapsed, Σ CLV·(1 − P(alive)): \(money(risk))."
        }
        w.element("p", [("class", "lead"), ("id", "values-summary")], lead)
        w.open("div", [("class", "row")])
        var caption = "CLV per customer on a log axis (\(h.counts.count) equal log-width bins)."
        if h.belowRange > 0 { caption += " \(Markup.grouped(h.belowRange)) customers with CLV ≤ 0 are the separate bar on the left." }
        w.figure(Chart.histogram(h, title: "Distribution of customer lifetime value", xTitle: "CLV per customer (log scale)"), caption: caption, id: "clv-histogram")
        if let l = customers.lorenz {
            w.figure(Chart.lorenz(l, title: "Lorenz curve of customer value"),
                     caption: "Share of total value held by the least valuable x % of customers; the dashed line is equal value.", id: "lorenz")
        } else {
            w.element("p", [("class", "note")], "No Lorenz curve: the total CLV is not positive.")
        }
        w.close()
        if let p = customers.pAliveHistogram {
            w.figure(Chart.histogram(p, title: "Distribution of P(alive)", xTitle: "probability the customer is still active", label: { Markup.number($0, decimals: 2) }),
                     caption: "P(alive) per customer in 20 bins.", id: "palive-histogram")
        }
        w.close()
    }

    // MARK: 3. portfolio

    func segmentName(_ index: Int) -> String { "segment-\(index)" }

    func portfolio(_ w: inout HTMLWriter) {
        w.open("section", [("id", "portfolio")])
        w.element("h2", [], "3. Segment portfolio")
        guard let profiles = segments.profiles, !profiles.isEmpty else {
            w.element("p", [("class", "note")], "segments.json has no profiles (the segmentation ran without a clv column).")
            w.close()
            return
        }
        if profiles.allSatisfy({ $0.meanPAlive != nil }) {
            let bubbles = profiles.map { p in
                Chart.Bubble(
                    label: segmentName(p.segment) + (p.label.map { " · " + $0.rawValue.replacingOccurrences(of: "_", with: " ") } ?? ""),
                    x: p.meanPAlive ?? 0, y: p.meanCLV, size: Double(p.size), cssClass: p.label?.rawValue ?? "unlabelled")
            }
            w.figure(Chart.bubbles(bubbles, title: "Segment portfolio map", xTitle: "mean P(alive)", yTitle: "mean CLV"),
                     caption: "Each segment at its mean P(alive) and mean CLV; bubble area is proportional to the number of customers.", id: "portfolio-map")
        } else {
            w.element("p", [("class", "note")], "The profiles have no P(alive): the portfolio map needs a p_alive column.")
        }
        let extra = Array((profiles.first?.means.map(\.name) ?? []).prefix(4))
        var header = ["segment", "label", "customers", "share of customers", "share of value", "mean CLV", "median CLV", "total CLV", "mean P(alive)"]
        header += extra.map { "mean " + $0 }
        let rows = profiles.map { p -> [String] in
            var row = [segmentName(p.segment), p.label?.rawValue.replacingOccurrences(of: "_", with: " ") ?? "–", Markup.grouped(p.size),
                       Markup.percent(p.customerShare), Markup.percent(p.clvShare), Markup.money(p.meanCLV), Markup.money(p.medianCLV),
                       Markup.money(p.totalCLV), p.meanPAlive.map { Markup.fixed($0, decimals: 3) } ?? "–"]
            row += extra.map { name in p.means.first { $0.name == name }.map { Markup.fixed($0.value, decimals: 2) } ?? "–" }
            return row
        }
        w.open("div", [("class", "scroll")])
        w.table(header: header, rows: rows)
        w.close()
        w.close()
    }

    // MARK: 4. journey

    func journeySection(_ w: inout HTMLWriter) {
        w.open("section", [("id", "journey")])
        w.element("h2", [], "4. Journey: where value leaks")
        guard let j = journey else {
            w.element("p", [("class", "note")], "No journey.json in the run directory: run with a journey event log to see the funnel and the moments of truth.")
            w.close()
            return
        }
        let c = j.coverage
        w.element("p", [("class", "lead")],
                  "\(Markup.grouped(c.events)) events of \(Markup.grouped(c.journeyCustomers)) customers and prospects; \(Markup.grouped(c.valued)) valued from the run, \(Markup.grouped(c.missingValue)) without a value (valued at \(Markup.money(c.imputedValue)) each). Value at stake = Σ CLV of the customers lost there.")
        let stages = j.stages.map { Chart.FunnelStage(name: $0.stage.name, reach: $0.reach, dropOff: $0.dropOff, valueAtStake: $0.valueAtStake) }
        w.figure(Chart.funnel(stages, title: "Journey funnel"), caption: "Customers reaching each stage; the shaded end of each bar is lost there.", id: "funnel")
        let top = Array(j.moments.prefix(10))
        if !top.isEmpty {
            let names = top.map { "\($0.stage.name.replacingOccurrences(of: "_", with: " ")) / \($0.touchpoint)" }
            w.figure(Chart.horizontalBars(categories: names, series: [Chart.Series(name: "value at stake", cssClass: "stake", values: top.map(\.valueAtStake))],
                                          title: "Moments of truth by value at stake", valueTitle: "value at stake"),
                     caption: "The \(top.count) moments of truth with the most customer value lost (of \(j.moments.count)).", id: "moments")
            w.table(header: ["rank", "stage", "touchpoint", "reach", "lost", "loss rate", "value at stake", "gap (w.)", "suggested max uplift"],
                    rows: top.map { m in
                        ["\(m.rank)", m.stage.name.replacingOccurrences(of: "_", with: " "), m.touchpoint, Markup.grouped(m.reach), Markup.grouped(m.lost),
                         Markup.percent(m.lossRate), Markup.money(m.valueAtStake),
                         m.gap.map { g in g.valueWeightedGap.map { Markup.fixed($0, decimals: 2) } ?? Markup.fixed(g.meanGap, decimals: 2) } ?? "–",
                         Markup.money(m.suggestedMaxUplift)]
                    })
        }
        w.close()
    }

    // MARK: 5. allocation

    func allocationSection(_ w: inout HTMLWriter) {
        w.open("section", [("id", "allocation")])
        w.element("h2", [], "5. Allocation")
        guard allocation.status == .optimal else {
            w.element("p", [("class", "note")], "No optimal allocation (\(allocation.status.rawValue)): \(allocation.message). See the constraints below.")
            w.close()
            return
        }
        // Current vs optimal per cell.
        let maxBars = 30
        let cells = allocation.cells
            .filter { $0.current > 0.5 || $0.spend > 0.5 }
            .sorted { max($0.current, $0.spend) != max($1.current, $1.spend) ? max($0.current, $0.spend) > max($1.current, $1.spend) : $0.id < $1.id }
        let shown = Array(cells.prefix(maxBars))
        w.element("h3", [], "Current vs optimal spend per cell")
        var caption = "Cells (segment / moment / channel) by the larger of current and optimal spend."
        if cells.count > shown.count { caption += " The \(cells.count - shown.count) smaller cells are in allocation.json." }
        w.figure(Chart.horizontalBars(categories: shown.map(\.id), series: [
            Chart.Series(name: "current", cssClass: "current", values: shown.map(\.current)),
            Chart.Series(name: "optimal", cssClass: "optimal", values: shown.map(\.spend)),
        ], title: "Current vs optimal spend per cell", valueTitle: "spend" + currencySuffix), caption: caption, id: "cell-bars")
        if !allocation.stages.isEmpty {
            w.figure(Chart.verticalBars(categories: allocation.stages.map { $0.id.replacingOccurrences(of: "_", with: " ") }, series: [
                Chart.Series(name: "current", cssClass: "current", values: allocation.stages.map(\.current)),
                Chart.Series(name: "optimal", cssClass: "optimal", values: allocation.stages.map(\.spend)),
            ], title: "Spend by journey stage", valueTitle: "spend"), caption: "Current and optimal spend by journey stage.", id: "stage-bars")
        }
        // Segment × moment heat map.
        let segmentIDs = allocation.segments.map(\.id)
        let momentIDs = allocation.moments.map(\.id)
        if !segmentIDs.isEmpty && !momentIDs.isEmpty && segmentIDs.count <= 60 && momentIDs.count <= 24 {
            var grid = [[Double?]](repeating: [Double?](repeating: nil, count: momentIDs.count), count: segmentIDs.count)
            let rowOf = Dictionary(segmentIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let colOf = Dictionary(momentIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            var stageOf = [String](repeating: "", count: momentIDs.count)
            var labelOf = [String](repeating: "", count: segmentIDs.count)
            for c in allocation.cells {
                guard let i = rowOf[c.segment], let j = colOf[c.moment] else { continue }
                grid[i][j] = (grid[i][j] ?? 0) + c.spend
                stageOf[j] = c.stage
                if let l = c.label { labelOf[i] = l }
            }
            let rows = zip(segmentIDs, labelOf).map { $1.isEmpty ? $0 : "\($0) (\($1.replacingOccurrences(of: "_", with: " ")))" }
            w.element("h3", [], "Spend by segment × moment of truth")
            w.figure(Chart.heatMap(rows: rows, columns: momentIDs, columnNotes: stageOf.map(RunReport.shortStage), values: grid,
                                   title: "Optimal spend by segment and moment of truth"),
                     caption: "Optimal spend per segment and moment (darker is more); blank squares have no cell in the plan.", id: "heatmap")
        }
        // Response curves.
        if !responseCurves.isEmpty {
            w.element("h3", [], "Response curves of the funded cells")
            w.open("div", [("class", "grid"), ("id", "response-curves")])
            for r in responseCurves {
                var series: [Chart.Series] = []
                if !r.smooth.isEmpty { series.append(Chart.Series(name: "smooth curve", cssClass: "smooth", points: r.smooth.map { ($0.spend, $0.uplift) })) }
                series.append(Chart.Series(name: r.fromPlan ? "LP response" : "known points", cssClass: "curve", points: r.piecewise.map { ($0.spend, $0.uplift) }))
                let chart = Chart.lines(series, markers: [
                    Chart.Marker(x: r.current.spend, y: r.current.uplift, label: "", cssClass: "current"),
                    Chart.Marker(x: r.optimal.spend, y: r.optimal.uplift, label: "", cssClass: "optimal"),
                ], title: "Response of \(r.cell)", xTitle: "spend", yTitle: "uplift", size: (330, 220), showLegend: false)
                w.figure(chart, caption: "\(r.cell): current \(Markup.money(r.current.spend)) → \(Markup.money(r.current.uplift)), optimal \(Markup.money(r.optimal.spend)) → \(Markup.money(r.optimal.uplift))")
            }
            w.close()
            w.element("p", [("class", "lead")], "Open circle: current spend; filled: optimal spend. Solid: the piecewise-linear response the LP optimises; dashed: the smooth curve it approximates.")
        }
        // Budget sweep.
        if let sweep, let curve = ValueCurve(sweep) {
            w.element("h3", [], "Value of the budget (sweep)")
            var markers: [Chart.Marker] = []
            if let k = curve.knee {
                markers.append(Chart.Marker(x: curve.points[k].spend, y: curve.points[k].uplift, label: "knee ≈ \(Markup.compact(curve.points[k].spend))", cssClass: "knee"))
            }
            if let b = allocation.budget {
                markers.append(Chart.Marker(x: b, y: allocation.uplift, label: "this plan", cssClass: "optimal"))
            }
            let chart = Chart.lines(
                [Chart.Series(name: "optimal uplift", cssClass: "uplift", points: curve.points.map { ($0.spend, $0.uplift) })],
                markers: markers, guides: allocation.budget.map { [(x: $0, label: "budget")] } ?? [],
                secondary: curve.shadowPrices.isEmpty ? nil : Chart.Series(name: "next-dollar value (right axis)", cssClass: "price", points: curve.shadowPrices.map { ($0.spend, $0.uplift) }),
                secondaryTitle: "shadow price", title: "Uplift vs budget", xTitle: "budget" + currencySuffix, yTitle: "optimal uplift")
            var caption = "Optimal uplift for each budget (\(sweep.sweep?.count ?? 0) solves and \(sweep.breakpoints?.count ?? 0) breakpoints of the value curve); the right axis is the value of the next dollar (the budget's shadow price)."
            if let k = curve.knee { caption += " The knee (largest bend, Kneedle) is at a budget of \(money(curve.points[k].spend))." }
            if !curve.infeasibleBudgets.isEmpty {
                caption += " No plan satisfies the constraints at " + curve.infeasibleBudgets.map(money).joined(separator: ", ") + " (left out)."
            }
            w.figure(chart, caption: caption, id: "sweep")
        }
        w.close()
    }

    /// A stage name short enough for a heat-map column.
    static func shortStage(_ s: String) -> String {
        switch s {
        case "awareness": "aware"
        case "consideration": "consider"
        case "decision": "decide"
        case "post_purchase": "post"
        default: s
        }
    }

    // MARK: 6. constraints

    func constraintsSection(_ w: inout HTMLWriter) {
        w.open("section", [("id", "constraints")])
        w.element("h2", [], "6. Binding constraints and unfunded cells")
        if let why = allocation.infeasibility {
            w.element("h3", [], "Why no allocation exists")
            w.open("ul", [("class", "plain")])
            for c in why.conflicts { w.element("li", [], c) }
            for r in why.relaxations { w.element("li", [], "Relax \(r.constraint): change \(Markup.money(r.bound)) to \(Markup.money(r.relaxedBound)) (by \(Markup.money(r.amount))).") }
            w.close()
        }
        let binding = allocation.constraints.filter { $0.binding && abs($0.dual) > 1e-9 }
        w.element("h3", [], "Binding constraints (\(binding.count))")
        if binding.isEmpty {
            w.element("p", [], "No constraint limits the plan: loosening any of them would not add value.")
        } else {
            w.open("ul", [("class", "plain"), ("id", "binding")])
            for c in binding {
                w.open("li")
                w.element("strong", [], c.name)
                w.text(": " + c.explanation + ".")
                w.close()
            }
            w.close()
        }
        w.element("h3", [], "Unfunded cells (\(allocation.unfunded.count))")
        if allocation.unfunded.isEmpty {
            w.element("p", [], "Every cell that could be funded gets some budget.")
        } else {
            let shown = allocation.unfunded.sorted { $0.marginalROI != $1.marginalROI ? $0.marginalROI > $1.marginalROI : $0.id < $1.id }.prefix(20)
            w.open("ul", [("class", "plain"), ("id", "unfunded")])
            for u in shown {
                w.open("li")
                w.element("strong", [], u.id)
                w.text(": " + u.reason + ".")
                w.close()
            }
            if allocation.unfunded.count > shown.count { w.element("li", [], "… and \(allocation.unfunded.count - shown.count) more in allocation.json.") }
            w.close()
        }
        if let b = allocation.bracket, b.upper > b.lower {
            w.element("p", [], "With the smooth response curves the plan yields \(money(b.curveUplift)); no plan under the same constraints can beat \(money(b.upper)) (chord bound).")
        }
        for warning in allocation.warnings { w.element("p", [("class", "note")], "Warning: " + warning) }
        w.close()
    }

    // MARK: run details

    func runDetails(_ w: inout HTMLWriter) {
        w.open("footer", [("id", "run")])
        w.element("p", [], "Numbers on this page are read from the run's files (customers.csv, segments.json, allocation.json, sweep.json, plan.json, journey.json); charts are aggregates and never draw individual customers.")
        if let m = manifest, !m.entries.isEmpty {
            w.table(header: ["run.json", "value"], rows: m.entries.map { [$0.key, Chart.clip($0.value, 90)] }, cssClass: "data manifest")
        }
        w.close()
    }
}
