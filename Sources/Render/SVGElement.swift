// A minimal SVG/XHTML element tree that writes escaped, well-formed markup.

/// One markup element: a name, attributes in insertion order, children and optional text.
/// `render()` writes well-formed XML (escaped attributes and text, self-closing when empty),
/// so SVG and the XHTML report parse with any XML parser.
public struct SVGElement: Sendable {
    public var name: String
    public var attributes: [(String, String)]
    public var children: [SVGElement]
    public var text: String?
    /// Raw markup written as is (already well-formed), e.g. a CDATA-wrapped script.
    public var raw: String?

    public init(_ name: String, _ attributes: [(String, String)] = [], children: [SVGElement] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// An element whose content is `raw` markup, written without escaping.
    public static func rawContent(_ name: String, _ attributes: [(String, String)] = [], raw: String) -> SVGElement {
        var element = SVGElement(name, attributes)
        element.raw = raw
        return element
    }

    /// The element and its subtree as markup.
    public func render() -> String {
        var output = ""
        render(into: &output)
        return output
    }

    /// Appends the markup to `output` (no indentation, to keep files small).
    public func render(into output: inout String) {
        output += "<" + name
        for (key, value) in attributes {
            output += " " + key + "=\"" + SVGElement.escape(value) + "\""
        }
        if children.isEmpty && text == nil && raw == nil {
            output += "/>"
            return
        }
        output += ">"
        if let text { output += SVGElement.escape(text) }
        if let raw { output += raw }
        for child in children { child.render(into: &output) }
        output += "</" + name + ">"
    }

    /// Escapes &, <, >, " and ' for XML text and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}

/// Shorthands for the shapes the figures use; numbers are written compactly (2 decimals at most).
enum SVG {
    static func number(_ value: Double) -> String { NumberFormatting.compact(value) }

    static func document(width: Double, height: Double, children: [SVGElement], attributes: [(String, String)] = []) -> SVGElement {
        SVGElement("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("width", number(width)), ("height", number(height)),
            ("viewBox", "0 0 \(number(width)) \(number(height))"), ("font-family", "sans-serif"), ("font-size", "11"),
        ] + attributes, children: children)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                     extra: [(String, String)] = []) -> SVGElement {
        SVGElement("rect", [("x", number(x)), ("y", number(y)), ("width", number(max(width, 0))),
                            ("height", number(max(height, 0))), ("fill", fill)] + extra)
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                     extra: [(String, String)] = []) -> SVGElement {
        SVGElement("line", [("x1", number(x1)), ("y1", number(y1)), ("x2", number(x2)), ("y2", number(y2)),
                            ("stroke", stroke)] + extra)
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "start",
                     extra: [(String, String)] = []) -> SVGElement {
        SVGElement("text", [("x", number(x)), ("y", number(y)), ("text-anchor", anchor)] + extra, text: content)
    }

    /// A polyline through `points` (coordinates to 0.1 px, enough on screen and a third smaller
    /// than 0.01 px), or nil when there are fewer than 2.
    static func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1,
                         extra: [(String, String)] = []) -> SVGElement? {
        guard points.count >= 2 else { return nil }
        let list = points.map {
            NumberFormatting.compact($0.0, maximumDecimals: 1) + "," + NumberFormatting.compact($0.1, maximumDecimals: 1)
        }.joined(separator: " ")
        return SVGElement("polyline", [("points", list), ("fill", "none"), ("stroke", stroke),
                                       ("stroke-width", number(width)), ("stroke-linejoin", "round")] + extra)
    }

    /// A path through `points` written as one absolute move and then relative line-tos in tenths of
    /// a pixel ("M58,100.3l1,-2.5 0,4.1 ..."): deltas are taken between the rounded points, so there is
    /// no drift, and they are about half as long as absolute coordinates. Nil for fewer than 2 points.
    static func relativePath(_ points: [(Double, Double)], stroke: String, width: Double = 1,
                             extra: [(String, String)] = []) -> SVGElement? {
        guard points.count >= 2 else { return nil }
        func tenths(_ value: Double) -> Int { Int((value * 10).rounded()) }
        func decimal(_ count: Int) -> String {
            let sign = count < 0 ? "-" : "", magnitude = abs(count)
            return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
        }
        var previous = (tenths(points[0].0), tenths(points[0].1))
        var d = "M" + decimal(previous.0) + "," + decimal(previous.1) + "l"
        for (index, point) in points.dropFirst().enumerated() {
            let current = (tenths(point.0), tenths(point.1))
            if index > 0 { d += " " }
            d += decimal(current.0 - previous.0) + "," + decimal(current.1 - previous.1)
            previous = current
        }
        return SVGElement("path", [("d", d), ("fill", "none"), ("stroke", stroke),
                                   ("stroke-width", number(width)), ("stroke-linejoin", "round")] + extra)
    }

    static func group(_ attributes: [(String, String)] = [], _ children: [SVGElement]) -> SVGElement {
        SVGElement("g", attributes, children: children)
    }
}
