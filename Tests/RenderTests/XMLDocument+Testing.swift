// Parses SVG/XHTML output with FoundationXML's XMLParser into a flat list of elements for assertions.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One parsed element: its name, attributes, direct text and depth.
struct ParsedElement {
    var name: String
    var attributes: [String: String]
    var text: String
    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
}

/// Parses `markup` as XML; throws the parser's error (with line and column) when it is not well-formed.
func parseXML(_ markup: String) throws -> [ParsedElement] {
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(markup.utf8))
    parser.delegate = collector
    if !parser.parse() {
        throw XMLCheckError(message: "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber), column \(parser.columnNumber)")
    }
    return collector.elements
}

struct XMLCheckError: Error, CustomStringConvertible {
    var message: String
    var description: String { "not well-formed XML: \(message)" }
}

final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(ParsedElement(name: elementName, attributes: attributeDict, text: ""))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        _ = open.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if let index = open.last { elements[index].text += String(decoding: CDATABlock, as: UTF8.self) }
    }
}
