import Foundation
import QuotewireIndex
import QuotewireModels
import QuotewireTestSupport
import Testing
@testable import QuotewireCLI

/// The export writers the query commands print with (`--format csv|jsonl`), checked by reading
/// their output back with another implementation: Python's `csv` and Foundation's JSON reader.
@Suite struct ExportFormatTests {
    @Test func csvRowsEscapeOnlyWhatNeedsItAndEndInCRLF() {
        #expect(CSVWriter.row(["plain", "two words", "Zoë"]) == "plain,two words,Zoë\r\n")
        #expect(CSVWriter.row(["a,b", #"say "hi""#, "line\nbreak", "cr\rhere", ""]) == "\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rhere\",\r\n")
        #expect(CSVWriter.row([]) == "\r\n")
        #expect(CSVWriter.field("\"\u{301}") == "\"\"\"\u{301}\"", "a quote stays doubled when a combining mark follows it")
    }

    /// OWASP's CSV injection advice: a cell a spreadsheet would run as a formula is made text.
    @Test func cellsThatWouldRunAsFormulasGetAQuoteInFront() {
        #expect(CSVWriter.row(["=HYPERLINK(\"http://x.example\",\"click\")", "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"])
            == "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",'+1+2,'-2+3+cmd|' /C calc'!A0,'@SUM(A1)\r\n")
        #expect(CSVWriter.field("\t=1") == "'\t=1")
        #expect(CSVWriter.field("\r=1") == "\"'\r=1\"")
        #expect(CSVWriter.field("a=1") == "a=1", "only the first character matters")
        for number in ["-0.35", "-12", "-1e-3", "42", "-7.5E+2"] {
            #expect(CSVWriter.field(number) == number, "a plain number stays a number")
        }
        for notNumber in ["-", "-.5", "-1.", "-1e", "--1", "-1-1", "- 1"] {
            #expect(CSVWriter.field(notNumber).hasPrefix("'"), "\(notNumber) is not a plain number")
        }
    }

    @Test func pythonsCSVModuleReadsTheRowsBackAsTheyWere() async throws {
        let header = ["speaker", "text", "source"]
        let rows = [
            ["Ana Lopes", "We will rebuild, and soon.", "The Ledger"],
            ["Ines \"Nes\" Varga", "\"Quoted\" at both ends\"", ""],
            ["Mr. Ō", "First line\nsecond line\r\nthird line", "北京日报"],
            ["", "  spaces kept  ", "tab\there"],
            ["Émile", "\"\u{301} combining after a quote", "😀, emoji"],
        ]
        let table = CSVWriter.table(header: header, rows: rows)
        #expect(table.hasPrefix("speaker,text,source\r\n"))
        #expect(table.hasSuffix("\r\n"))

        let readBack = try await QueryCommandTests.pythonCSV(table)
        #expect(readBack == [header] + rows)
    }

    @Test func jsonLinesAreCompactSortedAndOnePerValue() throws {
        struct Row: Encodable {
            var speaker: String?
            var text: String
            var at: Date
            var url: String
        }
        let writer = JSONLinesWriter()
        let first = try writer.text(Row(speaker: "Ana", text: "two\nlines", at: Date(timeIntervalSince1970: 0), url: "https://a.example/x"))
        let second = try writer.text(Row(speaker: nil, text: "Zoë", at: Date(timeIntervalSince1970: 1), url: "u"))
        #expect(first == #"{"at":"1970-01-01T00:00:00Z","speaker":"Ana","text":"two\nlines","url":"https://a.example/x"}"# + "\n")
        let lines = (first + second).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty, "one value per line, each ending in LF")
        let object = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(object?["text"] as? String == "Zoë")
        #expect(object?["speaker"] == nil, "an absent optional is left out, as the wire encoder does")
    }
}
