import Foundation
import PageExtraction
import Testing

/// Which charset a page's bytes are read in, and the errors for bytes that cannot be read.
@Suite("Page charsets")
struct PageCharsetTests {
    func string(_ bytes: [UInt8], contentType: String? = nil) throws(PageDecodingError) -> String {
        try bytes.withUnsafeBufferPointer { b throws(PageDecodingError) in try PageCharset.string(b, contentType: contentType) }
    }

    @Test func validUTF8StaysUTF8WhateverIsDeclared() throws {
        let page = "<meta charset=\"iso-8859-1\"><p>Zoë – “quoted”</p>"
        #expect(try string(Array(page.utf8)) == page)
        #expect(try string(Array(page.utf8), contentType: "text/html; charset=windows-1251") == page)
        #expect(try string([0xEF, 0xBB, 0xBF] + Array(page.utf8)) == page, "the byte-order mark is dropped")
    }

    @Test func metaCharsetAndContentType() throws {
        // "Zoë – “x”" in windows-1252.
        let body: [UInt8] = [0x5A, 0x6F, 0xEB, 0x20, 0x96, 0x20, 0x93, 0x78, 0x94]
        let meta = Array("<meta charset='windows-1252'><p>".utf8) + body
        #expect(try string(meta) == "<meta charset='windows-1252'><p>Zoë – “x”")
        let httpEquiv = Array("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\"><p>".utf8) + body
        #expect(try string(httpEquiv).hasSuffix("<p>Zoë – “x”"), "ISO-8859-1 is read as windows-1252, as browsers do")
        #expect(try string(Array("<p>".utf8) + body, contentType: "text/html; charset=\"latin1\"") == "<p>Zoë – “x”")
        // The content type wins over the page's own declaration.
        let koi8 = Array("<meta charset='windows-1252'><p>".utf8) + [0xE1, 0xE2]
        #expect(try string(koi8, contentType: "text/html; charset=koi8-r").hasSuffix("<p>АБ"))
    }

    @Test func windows1252UndefinedBytesReadAsControls() throws {
        #expect(try string(Array("<meta charset=windows-1252>".utf8) + [0x61, 0x81, 0x62]) == "<meta charset=windows-1252>a\u{81}b")
    }

    @Test func bytesThatCannotBeRead() {
        #expect { try string(Array("<p>caf".utf8) + [0xE9]) } throws: { ($0 as? PageDecodingError)?.kind == .undeclaredCharset }
        #expect { try string(Array("<meta charset=utf-8><p>caf".utf8) + [0xE9]) } throws: { ($0 as? PageDecodingError)?.kind == .invalidBytes }
        #expect { try string(Array("<meta charset=x-martian><p>caf".utf8) + [0xE9]) } throws: { ($0 as? PageDecodingError)?.kind == .unknownCharset }
        #expect { try string(Array("<meta charset=shift_jis><p>".utf8) + [0x82]) } throws: { error in
            guard let e = error as? PageDecodingError else { return false }
            return e.kind == .invalidBytes && e.offset == 27
        }
    }

    @Test func mediaTypeCharset() {
        #expect(PageCharset.charset(ofMediaType: "text/html; charset=UTF-8") == "utf-8")
        #expect(PageCharset.charset(ofMediaType: "Text/HTML ; Charset=\"ISO-8859-1\" ; x=y") == "iso-8859-1")
        #expect(PageCharset.charset(ofMediaType: "text/html") == nil)
    }
}
