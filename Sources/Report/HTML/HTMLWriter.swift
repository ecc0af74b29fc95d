/// Writes HTML with every element closed in order: ``open(_:_:)`` pushes the tag, ``close()`` pops it, so
/// the output is well-formed by construction. Text and attribute values are escaped (``Markup``).
struct HTMLWriter {
    private(set) var output = ""
    private var stack: [String] = []

    /// Elements that have no end tag in HTML.
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "link", "col", "input", "wbr"]

    static func attributes(_ attrs: [(String, String)]) -> String {
        attrs.map { " \($0.0)=\"\(Markup.escapeAttribute($0.1))\"" }.joined()
    }

    /// Opens `tag` (a void element is written and not pushed).
    mutating func open(_ tag: String, _ attrs: [(String, String)] = []) {
        output += "<\(tag)\(HTMLWriter.attributes(attrs))>"
        if !HTMLWriter.voidElements.contains(tag) { stack.append(tag) }
    }

    /// Closes the innermost open element.
    mutating func close() {
        guard let tag = stack.popLast() else { return }
        output += "</\(tag)>"
        if ["section", "table", "tr", "ul", "li", "div", "figure", "thead", "tbody", "header", "nav", "head", "body", "p", "h1", "h2", "h3"].contains(tag) {
            output += "\n"
        }
    }

    /// `<tag attrs>text</tag>`.
    mutating func element(_ tag: String, _ attrs: [(String, String)] = [], _ text: String) {
        open(tag, attrs)
        self.text(text)
        close()
    }

    /// Escaped text.
    mutating func text(_ text: String) { output += Markup.escapeText(text) }

    /// Markup produced by a trusted writer (``SVGDocument/render()``).
    mutating func raw(_ markup: String) { output += markup }

    /// A `<figure>` with an inline chart and a caption.
    mutating func figure(_ chart: SVGDocument, caption: String, id: String? = nil, cssClass: String = "chart") {
        var attrs = [("class", cssClass)]
        if let id { attrs.insert(("id", id), at: 0) }
        open("figure", attrs)
        raw(chart.render())
        element("figcaption", [], caption)
        close()
    }

    /// A table with a header row and body rows; cells whose text starts with a digit, sign or currency are
    /// right-aligned (`class="num"`).
    mutating func table(header: [String], rows: [[String]], cssClass: String = "data") {
        open("table", [("class", cssClass)])
        open("thead")
        open("tr")
        for h in header { element("th", [], h) }
        close()
        close()
        open("tbody")
        for row in rows {
            open("tr")
            for cell in row {
                let numeric = cell.first.map { $0.isNumber || $0 == "-" || $0 == "+" || $0 == "−" } ?? false
                element("td", numeric ? [("class", "num")] : [], cell)
            }
            close()
        }
        close()
        close()
    }

    /// Closes everything still open and returns the document.
    mutating func finish() -> String {
        while !stack.isEmpty { close() }
        return output
    }
}
