import Foundation
import QuotewireModels
import Testing

/// The one UTF-8 check: tables of well- and ill-formed sequences, and agreement with the
/// standard library's decoder on random bytes.
@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    static func check(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) }
    }

    static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
    }

    @Test(arguments: [
        [], Array("plain ASCII, longer than one eight-byte word".utf8),
        [0x00, 0x7F], [0xC2, 0x80], [0xDF, 0xBF],  // U+0000, U+007F, U+0080, U+07FF
        [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],  // U+0800, U+D7FF, U+E000, U+FFFF
        [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],  // U+10000, U+10FFFF
        Array("é 中文 🇺🇦 “quoted” \u{2028}".utf8),
    ] as [[UInt8]])
    func wellFormed(_ bytes: [UInt8]) {
        #expect(Self.check(bytes) == nil)
        #expect(Self.isValid(bytes))
        #expect(String(validating: bytes, as: UTF8.self) != nil, "the table agrees with the standard library")
    }

    /// Each case: the bytes, and the offset of the ill-formed sequence's first byte.
    @Test(arguments: [
        ([0x80], 0), ([0xBF], 0), (Array("abc".utf8) + [0x80], 3),  // stray continuation bytes
        ([0xC0, 0x80], 0), ([0xC1, 0xBF], 0), ([0xE0, 0x80, 0x80], 0), ([0xE0, 0x9F, 0xBF], 0),  // overlong
        ([0xF0, 0x80, 0x80, 0x80], 0), ([0xF0, 0x8F, 0xBF, 0xBF], 0),  // overlong four-byte forms
        ([0xED, 0xA0, 0x80], 0), ([0xED, 0xBF, 0xBF], 0),  // surrogates U+D800, U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], 0), ([0xF5, 0x80, 0x80, 0x80], 0), ([0xFF], 0), ([0xFE], 0),  // above U+10FFFF
        ([0xC2], 0), ([0xE2, 0x80], 0), ([0xF0, 0x9F, 0x98], 0),  // cut short at the end
        ([0x61, 0xC3, 0x28], 1), ([0xE2, 0x28, 0xA1], 0), ([0xF0, 0x9F, 0x28, 0x80], 0), ([0xF0, 0x9F, 0x98, 0x28], 0),  // broken inside
        (Array("twelve bytes".utf8) + [0xE2, 0x80, 0x9C] + Array("after a quote mark".utf8) + [0xC3], 33),  // past the word loop
        (Array(repeating: 0x41, count: 15) + [0xED, 0xA0, 0x80] + Array(repeating: 0x41, count: 9), 15),  // inside a word
    ] as [([UInt8], Int)])
    func illFormed(_ bytes: [UInt8], at offset: Int) {
        #expect(Self.check(bytes) == offset)
        #expect(!Self.isValid(bytes))
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the table agrees with the standard library")
        #expect(UTF8Validation.firstInvalidOffset(in: Data(bytes)) == offset, "Data gives the same offset")
        #expect(UTF8Validation.firstInvalidOffset(in: bytes[...]) == offset, "a slice gives the same offset")
    }

    /// Random byte strings, mostly built from valid scalars with a few bytes changed, so that
    /// errors fall anywhere (pure random bytes are invalid within a few bytes): the check
    /// agrees with `String(validating:)`, and the offset with the standard library's decoder
    /// (a failure prints the bytes).
    @Test func agreesWithTheStandardLibraryOnRandomBytes() {
        var r = SystemRandomNumberGenerator()
        for round in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &r) {
                switch Int.random(in: 0..<10, using: &r) {
                case 0..<5: bytes += Array(repeating: UInt8.random(in: 0x20...0x7E, using: &r), count: Int.random(in: 1...9, using: &r))
                case 5..<8:
                    let scalar = Unicode.Scalar(UInt32.random(in: 0x80...0x10FFFF, using: &r)) ?? "\u{FFFD}"
                    bytes += Array(String(Character(scalar)).utf8)
                case 8: bytes.append(UInt8.random(in: 0x80...0xFF, using: &r))
                default: bytes.append(([0xED, 0xF4, 0xE0, 0xF0, 0xC0, 0xC2] as [UInt8])[Int.random(in: 0..<6, using: &r)])  // leads that need care
                }
            }
            if !bytes.isEmpty, Bool.random(using: &r) {
                bytes[Int.random(in: 0..<bytes.count, using: &r)] = UInt8.random(in: 0...0xFF, using: &r)
            }
            let expected = Self.referenceOffset(bytes)
            let found = Self.check(bytes)
            #expect(found == expected, "round \(round): \(bytes)")
            #expect(Self.isValid(bytes) == (String(validating: bytes, as: UTF8.self) != nil), "round \(round): \(bytes)")
            if found != expected { break }
        }
    }

    /// Where the standard library's decoder first reports an error.
    static func referenceOffset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
