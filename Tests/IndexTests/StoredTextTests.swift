import Foundation
@testable import QuotewireIndex
import Testing

@Suite struct SpeakerNameTests {
    /// The Character-wise rule the ASCII byte pass must agree with.
    private static func reference(_ name: String) -> String? {
        let collapsed = name.split { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }
            .joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
    }

    @Test func asciiNamesAreCollapsedAsCharactersWouldBe() {
        let alphabet: [UInt8] = Array(0...0x7F)
        var seed: UInt64 = 12_345
        for _ in 0..<5_000 {
            let length = Int(seed % 12)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Mostly letters and spaces, sometimes any ASCII byte (controls, CR LF, DEL).
                let pick = Int(seed >> 33)
                bytes.append(pick % 4 == 0 ? alphabet[pick % alphabet.count] : (pick % 3 == 0 ? 0x20 : UInt8(0x41 + pick % 26)))
            }
            let name = String(decoding: bytes, as: UTF8.self)
            #expect(SpeakerName.canonical(name) == Self.reference(name), "\(bytes)")
        }
    }

    @Test func otherNamesKeepTheCharacterRule() {
        for name in ["  Volodymyr\u{00A0}Zelenskyy ", "Zelenský\u{2003}\u{2003}said", "\u{85}", "Ana\u{2028}María", "  "] {
            #expect(SpeakerName.canonical(name) == Self.reference(name))
        }
    }
}

@Suite struct SnippetMarksTests {
    @Test func everyMarkIsFoundWhereverItSits() {
        for length in 0..<20 {
            let plain = String(repeating: "é", count: length / 2) + String(repeating: "a", count: length - length / 2)
            #expect(SnippetMarks.scrubbed(plain) == plain)
            for position in 0...plain.count {
                for mark in ["\u{2}", "\u{3}"] {
                    var marked = plain
                    marked.insert(contentsOf: mark, at: marked.index(marked.startIndex, offsetBy: position))
                    var expected = plain
                    expected.insert(" ", at: expected.index(expected.startIndex, offsetBy: position))
                    #expect(SnippetMarks.scrubbed(marked) == expected)
                }
            }
        }
    }
}
