/// One node of an SVG tree: an element with attributes and children, or text content.
public enum SVGNode: Sendable, Equatable {
    /// A child element.
    case element(SVGElement)
    /// Text content (escaped when rendered).
    case text(String)
}

/// An SVG element as a value: a tag name, attributes in the order given (so output is stable) and children.
///
/// Rendering escapes every attribute value and text node (``Markup``); an element without children is written
/// self-closed (`<circle … />`). Numbers reach attributes through ``Markup/number(_:decimals:)``.
public struct SVGElement: Sendable, Equatable {
    /// Tag name (`rect`, `g`, `text`, …).
    public var name: String
    /// Attributes, rendered in this order.
    public var attributes: [(name: String, value: String)]
    /// Child nodes.
    public var children: [SVGNode]

    /// An element.
    public init(_ name: String, _ attributes: [(String, String)] = [], children: [SVGNode] = []) {
        self.name = name
        self.attributes = attributes.map { (name: $0.0, value: $0.1) }
        self.children = children
    }

    /// Equality of name, attributes (in order) and children.
    public static func == (a: SVGElement, b: SVGElement) -> Bool {
        a.name == b.name && a.children == b.children && a.attributes.count == b.attributes.count
            && zip(a.attributes, b.attributes).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// A `<text>` element holding `content`.
    public static func text(_ content: String, _ attributes: [(String, String)]) -> SVGElement {
        SVGElement("text", attributes, children: [.text(content)])
    }

    /// A `<g>` group.
    public static func group(_ attributes: [(String, String)] = [], _ children: [SVGElement]) -> SVGElement {
        SVGElement("g", attributes, children: children.map { .element($0) })
    }

    /// This element with a `<title>` child (a tooltip in browsers, a label for screen readers).
    public func titled(_ title: String) -> SVGElement {
        var copy = self
        copy.children.insert(.element(SVGElement("title", children: [.text(title)])), at: 0)
        return copy
    }

    /// Appends the markup of this element to `out`.
    /// - Complexity: O(size of the subtree).
    public func render(into out: inout String) {
        out += "<" + name
        for a in attributes { out += " " + a.name + "=\"" + Markup.escapeAttribute(a.value) + "\"" }
        if children.isEmpty {
            out += "/>"
            return
        }
        out += ">"
        for child in children {
            switch child {
            case .element(let e): e.render(into: &out)
            case .text(let t): out += Markup.escapeText(t)
            }
        }
        out += "</" + name + ">"
    }

    /// Number of elements in this subtree (this one included).
    public var elementCount: Int {
        1 + children.reduce(0) { n, child in
            if case .element(let e) = child { return n + e.elementCount }
            return n
        }
    }
}
