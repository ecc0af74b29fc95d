/// The page's style sheet: system fonts only (nothing fetched), chart colours by CSS class, and print rules
/// (no navigation, charts kept whole on a page, black text).
enum Stylesheet {
    static let css = """
    :root { --ink: #1d2430; --muted: #5b6676; --line: #d5dbe3; --accent: #1f6feb; --current: #9aa5b1; --warn: #b54708; }
    * { box-sizing: border-box; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
      margin: 0 auto; max-width: 1180px; padding: 24px 32px 64px; line-height: 1.45; background: #fff; }
    header h1 { font-size: 26px; margin: 0 0 4px; }
    header p.sub { color: var(--muted); margin: 0 0 12px; }
    nav { border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); padding: 8px 0; margin-bottom: 12px; font-size: 14px; }
    nav a { margin-right: 18px; color: var(--accent); text-decoration: none; }
    section { margin: 28px 0; }
    h2 { font-size: 20px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
    h3 { font-size: 16px; margin: 18px 0 6px; }
    p.note { color: var(--warn); font-size: 14px; margin: 4px 0; }
    p.lead { color: var(--muted); margin-top: 0; }
    .kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
    .kpi { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
    .kpi .label { color: var(--muted); font-size: 13px; }
    .kpi .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
    .kpi .detail { color: var(--muted); font-size: 12px; }
    .row { display: grid; grid-template-columns: 3fr 2fr; gap: 18px; align-items: start; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 12px; }
    figure { margin: 8px 0; break-inside: avoid; page-break-inside: avoid; }
    figcaption { color: var(--muted); font-size: 13px; margin-top: 2px; }
    table.data { border-collapse: collapse; font-size: 13px; margin: 8px 0; font-variant-numeric: tabular-nums; }
    table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; }
    table.data th { background: #f3f5f8; }
    table.data td.num { text-align: right; }
    ul.plain { padding-left: 20px; }
    ul.plain li { margin: 3px 0; }
    code { font-size: 13px; }
    svg.chart { display: block; max-width: 100%; height: auto; font-size: 11px; }
    .scroll { overflow-x: auto; }
    svg.chart .grid { stroke: #e8ecf1; stroke-width: 1; }
    svg.chart .axis { stroke: #8792a2; stroke-width: 1; }
    svg.chart .tick { fill: var(--muted); font-size: 11px; }
    svg.chart .tick.strong, svg.chart .strong { font-weight: 600; fill: var(--ink); }
    svg.chart .axis-title { fill: var(--ink); font-size: 12px; }
    svg.chart .second { fill: var(--warn); }
    svg.chart .legend { fill: var(--ink); font-size: 12px; }
    svg.chart .annotation { fill: var(--ink); font-size: 11px; }
    svg.chart .bar { fill: #4c78a8; }
    svg.chart .bar.below { fill: #b9c4d0; }
    svg.chart .bar.current, svg.chart .swatch.current { fill: var(--current); }
    svg.chart .bar.optimal, svg.chart .swatch.optimal { fill: var(--accent); }
    svg.chart .bar.stake, svg.chart .swatch.stake { fill: #c2410c; }
    svg.chart .swatch.uplift { fill: var(--accent); }
    svg.chart .swatch.price { fill: var(--warn); }
    svg.chart .swatch.smooth { fill: #9db7e8; }
    svg.chart .swatch.curve { fill: var(--accent); }
    svg.chart .equality { stroke: #8792a2; stroke-dasharray: 4 3; stroke-width: 1; }
    svg.chart .curve.lorenz { stroke: #c2410c; stroke-width: 2.2; }
    svg.chart .line { stroke-width: 2; fill: none; }
    svg.chart .line.uplift, svg.chart .line.curve { stroke: var(--accent); }
    svg.chart .line.smooth { stroke: #9db7e8; stroke-dasharray: 5 3; stroke-width: 1.5; }
    svg.chart .line.price { stroke: var(--warn); stroke-width: 1.5; }
    svg.chart .mark { fill: #c2410c; }
    svg.chart .marker.current { fill: #fff; stroke: #55606e; stroke-width: 2; }
    svg.chart .marker.optimal { fill: var(--accent); stroke: #fff; stroke-width: 1.5; }
    svg.chart .marker.knee { fill: var(--warn); stroke: #fff; stroke-width: 1.5; }
    svg.chart .guide { stroke: #55606e; stroke-dasharray: 3 3; stroke-width: 1; }
    svg.chart .bubble { fill-opacity: 0.55; stroke-width: 1.5; }
    svg.chart .bubble.champions { fill: #2e7d32; stroke: #1b5e20; }
    svg.chart .bubble.at_risk { fill: #c62828; stroke: #8e0000; }
    svg.chart .bubble.promising { fill: #1f6feb; stroke: #0b4bb3; }
    svg.chart .bubble.dormant { fill: #8d99a6; stroke: #5b6676; }
    svg.chart .bubble.unlabelled { fill: #7e57c2; stroke: #4d2c91; }
    svg.chart .heat { fill: var(--accent); }
    svg.chart .heat-na { fill: #f6f7f9; stroke: #e8ecf1; }
    svg.chart .heat-label { fill: var(--ink); font-size: 11px; }
    svg.chart .heat-label.dark { fill: #fff; }
    svg.chart .funnel { fill: #4c78a8; }
    svg.chart .funnel.lost { fill: #c2410c; fill-opacity: 0.85; }
    footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); margin-top: 36px; padding-top: 8px; }
    @media print {
      body { max-width: none; padding: 0; color: #000; }
      nav { display: none; }
      section { break-before: auto; }
      h2 { break-after: avoid; }
      .kpi { border-color: #999; }
      a { color: #000; text-decoration: none; }
    }
    """
}
