// Lexer: source bytes to tokens. Newlines inside ( ) and [ ] are skipped, so an open
// bracket continues a statement; a string may span lines; an unfinished one is "end of input".

/// Splits a `Source` into tokens, collecting diagnostics instead of stopping at the first error.
public struct Lexer {
    private let source: Source
    private let bytes: [UInt8]
    private var position = 0
    private var bracketDepth = 0
    public private(set) var diagnostics: [Diagnostic] = []

    public init(source: Source) {
        self.source = source
        self.bytes = source.bytes
        // Editors on some systems start UTF-8 files with a byte-order mark; it is not text.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// All tokens, ending with `.endOfInput`.
    public static func tokenize(_ source: Source) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source: source)
        var tokens: [Token] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .endOfInput { break }
        }
        return (tokens, lexer.diagnostics)
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private mutating func error(_ message: String, _ start: Int, _ end: Int, atEnd: Bool = false) {
        diagnostics.append(Diagnostic(.error, message, source: source,
                                      range: SourceRange(start: start, end: end), isAtEndOfInput: atEnd))
    }

    /// The next token.
    public mutating func next() -> Token {
        var followsSpace = position == 0
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                position += 1
                followsSpace = true
            } else if byte == UInt8(ascii: "#") {
                while let c = peek(), c != UInt8(ascii: "\n") { position += 1 }
            } else if byte == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "\n") {
                // A trailing backslash joins the next line.
                position += 2
                followsSpace = true
            } else if byte == UInt8(ascii: "\n"), bracketDepth > 0 {
                position += 1
                followsSpace = true
            } else {
                break
            }
        }
        let start = position
        guard let byte = peek() else {
            return Token(kind: .endOfInput, range: SourceRange(start: start, end: start), followsSpace: followsSpace)
        }
        func token(_ kind: TokenKind) -> Token {
            Token(kind: kind, range: SourceRange(start: start, end: position), followsSpace: followsSpace)
        }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: ";") {
            position += 1
            return token(.end)
        }
        if isDigit(byte) { return token(lexNumber()) }
        if isIdentifierStart(byte) {
            while let c = peek(), isIdentifierPart(c) { position += 1 }
            let word = String(decoding: bytes[start..<position], as: UTF8.self)
            return token(scriptKeywords.contains(word) ? .keyword(word) : .identifier(word))
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { return token(lexString(quote: byte)) }
        let two = peek(1).map { String(decoding: [byte, $0], as: UTF8.self) } ?? ""
        if ["**", "==", "!=", "<=", ">=", "|>"].contains(two) {
            position += 2
            return token(.symbol(two))
        }
        let single = String(decoding: [byte], as: UTF8.self)
        if "+-*/%^<>=.,:()[]".contains(single), byte < 0x80 {
            position += 1
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: "["): bracketDepth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"): bracketDepth = max(0, bracketDepth - 1)
            default: break
            }
            return token(.symbol(single))
        }
        // Skip the whole (possibly multi-byte) character so the error names it.
        position += 1
        while let c = peek(), c & 0xC0 == 0x80 { position += 1 }
        let character = String(decoding: bytes[start..<position], as: UTF8.self)
        error("unexpected character '\(character)'", start, position)
        return token(.invalid)
    }

    private mutating func lexNumber() -> TokenKind {
        let start = position
        while let c = peek(), isDigit(c) { position += 1 }
        if peek() == UInt8(ascii: "."), let after = peek(1), isDigit(after) {
            position += 1
            while let c = peek(), isDigit(c) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var lookahead = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { lookahead = 2 }
            if let digit = peek(lookahead), isDigit(digit) {
                position += lookahead
                while let c = peek(), isDigit(c) { position += 1 }
            } else {
                position += lookahead
                error("malformed number: exponent needs digits", start, position)
                return .number(0)
            }
        }
        if let c = peek(), isIdentifierStart(c) {
            while let c = peek(), isIdentifierPart(c) { position += 1 }
            error("malformed number '\(String(decoding: bytes[start..<position], as: UTF8.self))'", start, position)
            return .number(0)
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        return .number(Double(text) ?? 0)
    }

    private mutating func lexString(quote: UInt8) -> TokenKind {
        let start = position
        position += 1
        var content: [UInt8] = []
        while true {
            guard let c = peek() else {
                error("unterminated string", start, start + 1, atEnd: true)
                return .string(String(decoding: content, as: UTF8.self))
            }
            position += 1
            if c == quote { break }
            if c != UInt8(ascii: "\\") {
                content.append(c)
                continue
            }
            guard let escaped = peek() else { continue }
            position += 1
            switch escaped {
            case UInt8(ascii: "n"): content.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "t"): content.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "r"): content.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "0"): content.append(0)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): content.append(escaped)
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "u"):
                if let scalar = lexUnicodeEscape(escapeStart: position - 2) {
                    content.append(contentsOf: Array(String(scalar).utf8))
                }
            default:
                error("unknown escape '\\\(String(decoding: [escaped], as: UTF8.self))' in string", position - 2, position)
            }
        }
        return .string(String(decoding: content, as: UTF8.self))
    }

    /// Reads `{XXXX}` after `\u`.
    private mutating func lexUnicodeEscape(escapeStart: Int) -> Unicode.Scalar? {
        guard peek() == UInt8(ascii: "{") else {
            error("expected '{' after \\u (write \\u{41})", escapeStart, position)
            return nil
        }
        position += 1
        let digitsStart = position
        while let c = peek(), isHexDigit(c) { position += 1 }
        let digits = String(decoding: bytes[digitsStart..<position], as: UTF8.self)
        guard peek() == UInt8(ascii: "}"), let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) else {
            error("bad unicode escape (write \\u{41})", escapeStart, position)
            return nil
        }
        position += 1
        return scalar
    }
}

private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

private func isHexDigit(_ c: UInt8) -> Bool {
    isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
}

private func isIdentifierStart(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || c == UInt8(ascii: "_")
}

private func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
