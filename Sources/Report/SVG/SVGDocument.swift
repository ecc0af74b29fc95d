/// A standalone `<svg>` chart: a fixed user-space size (`viewBox`), an accessible title and the elements.
///
/// Rendered inline into HTML at its natural size in CSS pixels, shrinking with a narrower container (the page's
/// style sheet sets `max-width: 100%; height: auto`).
public struct SVGDocument: Sendable, Equatable {
    /// Width in user units.
    public var width: Double
    /// Height in user units.
    public var height: Double
    /// Accessible title (`<title>` and `aria-label`).
    public var title: String
    /// Content, drawn in order.
    public var elements: [SVGElement]

    /// A chart of `width` × `height` user units.
    public init(width: Double, height: Double, title: String, elements: [SVGElement] = []) {
        self.width = width
        self.height = height
        self.title = title
        self.elements = elements
    }

    /// Adds an element on top of the others.
    public mutating func append(_ element: SVGElement) { elements.append(element) }

    /// Adds elements on top of the others.
    public mutating func append(contentsOf more: [SVGElement]) { elements.append(contentsOf: more) }

    /// The root `<svg>` element.
    public var root: SVGElement {
        var children: [SVGNode] = [.element(SVGElement("title", children: [.text(title)]))]
        children += elements.map { .element($0) }
        return SVGElement(
            "svg",
            [("xmlns", "http://www.w3.org/2000/svg"),
             ("viewBox", "0 0 \(Markup.number(width)) \(Markup.number(height))"),
             ("width", Markup.number(width)), ("height", Markup.number(height)), ("role", "img"), ("aria-label", title), ("class", "chart")],
            children: children)
    }

    /// The markup (no XML declaration: it is meant to be inlined in HTML).
    public func render() -> String {
        var out = ""
        root.render(into: &out)
        return out
    }

    /// Elements in the document, the root included.
    public var elementCount: Int { root.elementCount }
}
