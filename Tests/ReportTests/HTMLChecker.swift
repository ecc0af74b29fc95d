/// A small well-formedness checker for the report's HTML: every opened tag is closed in order (HTML void
/// elements and `/>` self-closing tags excepted), every attribute value is double-quoted, `<style>` content is
/// skipped as raw text. Not a full HTML parser: it checks what the report writer promises.
struct HTMLChecker {
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "link", "col", "input", "wbr", "area", "base", "source", "track"]

    /// Problems found (empty: well-formed).
    var errors: [String] = []
    /// Elements seen, by tag name.
    var counts: [String: Int] = [:]
    /// Values of `id` attributes, in order.
    var ids: [String] = []
    /// `(tag, attributes)` of every element, in order.
    var elements: [(tag: String, attributes: [String: String])] = []

    init(_ html: String) {
        let s = Array(html.unicodeScalars)
        var i = 0
        var stack: [String] = []
        func at(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }
        func startsWith(_ text: String, _ k: Int) -> Bool {
            let t = Array(text.unicodeScalars)
            guard k + t.count <= s.count else { return false }
            for j in 0..<t.count where String(s[k + j]).lowercased() != String(t[j]).lowercased() { return false }
            return true
        }
        while i < s.count {
            guard s[i] == "<" else {
                if s[i] == ">" { errors.append("stray '>' at \(i)") }
                i += 1
                continue
            }
            if startsWith("<!--", i) {
                guard let end = (i..<s.count).first(where: { startsWith("-->", $0) }) else { errors.append("unclosed comment"); break }
                i = end + 3
                continue
            }
            if startsWith("<!doctype", i) {
                while i < s.count && s[i] != ">" { i += 1 }
                i += 1
                continue
            }
            let closing = at(i + 1) == "/"
            var j = i + (closing ? 2 : 1)
            var name = ""
            while let c = at(j), c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" {
                name.unicodeScalars.append(c)
                j += 1
            }
            if name.isEmpty { errors.append("'<' without a tag name at \(i)"); i += 1; continue }
            var attributes: [String: String] = [:]
            var selfClosing = false
            // Attributes.
            while j < s.count {
                while let c = at(j), c == " " || c == "\n" || c == "\t" { j += 1 }
                guard let c = at(j) else { break }
                if c == ">" { j += 1; break }
                if c == "/" && at(j + 1) == ">" { selfClosing = true; j += 2; break }
                var attr = ""
                while let c = at(j), c != "=" && c != " " && c != ">" && c != "/" {
                    attr.unicodeScalars.append(c)
                    j += 1
                }
                if attr.isEmpty { errors.append("bad attribute in <\(name)> at \(j)"); j += 1; continue }
                guard at(j) == "=" else { errors.append("attribute '\(attr)' of <\(name)> without a value"); continue }
                j += 1
                guard at(j) == "\"" else { errors.append("attribute '\(attr)' of <\(name)> not double-quoted"); continue }
                j += 1
                var value = ""
                while let c = at(j), c != "\"" {
                    if c == "<" { errors.append("'<' inside attribute '\(attr)' of <\(name)>") }
                    value.unicodeScalars.append(c)
                    j += 1
                }
                j += 1
                if attributes[attr] != nil { errors.append("duplicate attribute '\(attr)' in <\(name)>") }
                attributes[attr] = value
            }
            let tag = name.lowercased()
            if closing {
                if let top = stack.last, top == tag { stack.removeLast() } else {
                    errors.append("</\(tag)> closes <\(stack.last ?? "nothing")>")
                }
            } else {
                counts[tag, default: 0] += 1
                elements.append((tag, attributes))
                if let id = attributes["id"] { ids.append(id) }
                if !selfClosing && !HTMLChecker.voidElements.contains(tag) { stack.append(tag) }
                if tag == "style" || tag == "script" {
                    guard let end = (j..<s.count).first(where: { startsWith("</\(tag)", $0) }) else { errors.append("unclosed <\(tag)>"); break }
                    j = end
                }
            }
            i = j
        }
        if !stack.isEmpty { errors.append("unclosed: \(stack.joined(separator: " > "))") }
    }

    /// Total elements.
    var elementCount: Int { counts.values.reduce(0, +) }
}
