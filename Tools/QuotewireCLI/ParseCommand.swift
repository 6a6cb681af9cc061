import ArgumentParser
import PageExtraction
import QuoteParser
import QuotewireModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `quotewire parse FILE|-` and `quotewire parse --jsonl`: parse offline, no broker.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse an article (or JSON lines of articles) and print ParsedArticle JSON.",
        discussion: """
            quotewire parse FILE        one article from a file ('-' for standard input)
            quotewire parse --jsonl     lines {"id","text"} from standard input (or FILE), one ParsedArticle per line
            HTML input is detected by its content, or forced with --html: the article is taken from the page
            (body paragraphs, headline, outlet, byline, time, canonical URL, captions) and its charset read from
            a byte-order mark or <meta>; quotation offsets then refer to the text QuoteParser.pageText gives.
            """
    )

    @Argument(help: "The article file, or '-' for standard input (with --jsonl: optional, default standard input).")
    var file: String?

    @Flag(help: "Read JSON lines {\"id\",\"text\"} and write one ParsedArticle per line.")
    var jsonl = false

    @Flag(help: "Treat the input as HTML (take the article from the page first). Without it HTML is detected.")
    var html = false

    @Flag(help: "Treat the input as plain text even if it looks like HTML.")
    var plain = false

    func validate() throws {
        if !jsonl && file == nil { throw ValidationError("give a FILE or '-' (or use --jsonl)") }
        if html && plain { throw ValidationError("--html and --plain exclude each other") }
    }

    func run() throws {
        let fd: Int32
        if let file, file != "-" {
            fd = open(file, O_RDONLY)
            guard fd >= 0 else { throw ParseCommandError("cannot open \(file): \(String(cString: strerror(errno)))") }
        } else {
            fd = 0
        }
        defer { if fd != 0 { close(fd) } }
        let output = OutputBuffer(fd: 1)
        if jsonl {
            let failures = try runJSONL(fd, output)
            try output.flush()
            if failures > 0 {
                throw ParseCommandError("\(failures) line(s) could not be parsed")
            }
            return
        }
        let bytes = try readAll(fd)
        let parser = QuoteParser()
        let raw = String(decoding: bytes, as: UTF8.self)
        let id = ArticleID.derive(url: nil, body: raw)
        let article: ParsedArticle
        if wantsHTML(bytes) {
            let page: ExtractedPage
            do {
                page = try bytes.withUnsafeBufferPointer { b throws(PageDecodingError) in try PageExtractor.extract(bytes: b) }
            } catch {
                printError("warning: \(error); invalid bytes were replaced with U+FFFD")
                page = PageExtractor.extract(raw)
            }
            article = parser.parse(body: page.paragraphs, metadata: page.metadata, articleId: id)
        } else {
            if !bytes.isEmpty, !bytes.withUnsafeBufferPointer({ UTF8Validation.isValid($0) }) {
                printError("warning: input is not valid UTF-8; invalid bytes were replaced with U+FFFD")
            }
            article = parser.parse(bytes: bytes, articleId: id)
        }
        ParsedArticleJSONWriter.write(article, into: &output.bytes)
        output.bytes.append(0x0A)
        try output.flush()
    }

    private func wantsHTML(_ bytes: [UInt8]) -> Bool {
        if html { return true }
        if plain { return false }
        return bytes.withUnsafeBufferPointer { HTMLDetection.looksLikeHTML($0) }
    }

    /// Streams JSON lines in large chunks; returns the number of bad lines.
    private func runJSONL(_ fd: Int32, _ output: OutputBuffer) throws -> Int {
        let parser = QuoteParser()
        var reader = JSONObjectReader(keys: ["id", "text"])
        var failures = 0
        var lineNumber = 0
        let chunkSize = 4 << 20
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        var eof = false
        while !eof || filled > 0 {
            if !eof {
                if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
                let got = buffer.withUnsafeMutableBytes { raw in
                    read(fd, raw.baseAddress! + filled, raw.count - filled)
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw ParseCommandError("read failed: \(String(cString: strerror(errno)))")
                }
                if got == 0 { eof = true } else { filled += got }
            }
            // Handle every complete line in the buffer (and the last one at end of input).
            var consumed = 0
            try buffer.withUnsafeBufferPointer { all in
                var start = 0
                while start < filled {
                    var end = filled
                    if let base = all.baseAddress, let nl = memchr(base + start, 0x0A, filled - start) {
                        end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(nl))
                    }
                    if end == filled && !eof { break }
                    lineNumber += 1
                    let line = UnsafeBufferPointer(rebasing: all[start..<end])
                    start = end + 1
                    consumed = min(start, filled)
                    if isBlank(line) { continue }
                    do {
                        try reader.read(line)
                    } catch {
                        failures += 1
                        printError("line \(lineNumber): \(error)")
                        continue
                    }
                    guard let id = reader.string(0), reader.has(1) else {
                        failures += 1
                        printError("line \(lineNumber): the object needs string fields \"id\" and \"text\"")
                        continue
                    }
                    reader.values[1].withUnsafeBufferPointer { text in
                        if wantsHTMLLine(text) {
                            let page = PageExtractor.extract(String(decoding: text, as: UTF8.self))
                            let article = parser.parse(body: page.paragraphs, metadata: page.metadata, articleId: id)
                            ParsedArticleJSONWriter.write(article, into: &output.bytes)
                        } else if !parser.writeJSON(bytes: text, articleId: id, into: &output.bytes) {
                            printError("line \(lineNumber): text is not valid UTF-8; invalid bytes were replaced with U+FFFD")
                        }
                    }
                    output.bytes.append(0x0A)
                    if output.bytes.count >= 1 << 20 { try output.flush() }
                }
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    let rest = filled - consumed
                    if rest > 0, let base = b.baseAddress { memmove(base, base + consumed, rest) }
                }
                filled -= consumed
            }
            if eof && consumed == 0 { break }
        }
        return failures
    }

    private func wantsHTMLLine(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if html { return true }
        if plain { return false }
        return HTMLDetection.looksLikeHTML(text)
    }

    private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in line where !(c == 0x20 || c == 0x09 || c == 0x0D) { return false }
        return true
    }

    private func readAll(_ fd: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw ParseCommandError("read failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            out.append(contentsOf: chunk[0..<got])
        }
        return out
    }
}

/// A parse failure with a message for the terminal.
struct ParseCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A large output buffer written with write(2).
final class OutputBuffer {
    var bytes: [UInt8] = []
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        bytes.reserveCapacity(2 << 20)
    }

    func flush() throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ParseCommandError("write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        bytes.removeAll(keepingCapacity: true)
    }
}

func printError(_ message: String) {
    var line = Array(message.utf8)
    line.append(0x0A)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress!, $0.count) }
}
