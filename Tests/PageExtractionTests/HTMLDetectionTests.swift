import PageExtraction
import Testing

/// HTML told from text by content alone.
@Suite("HTML detection")
struct HTMLDetectionTests {
    @Test(arguments: [
        "<!DOCTYPE html><html><body><p>x</p></body></html>",
        "<!doctype HTML>\n<title>x</title>",
        "\u{FEFF}<html><p>x</p></html>",
        "  \n<!-- generated -->\n<html><head></head><body>x</body></html>",
        "<script>var a = 1 < 2;</script><div><p>x</p></div>",
        "<style>p { color: red }</style>\n<p>Words</p>",
        "?\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"><html>",
        "<!DOn/wp-content/plugins/thickbox.gif\";</script>\n<style>x</style>",
        "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>x</p></body></html>",
        "<p>One paragraph.</p><p>Another.</p>",
        "<TABLE><TR><TD>Old page</TD></TR></TABLE>",
    ])
    func html(_ page: String) {
        #expect(Array(page.utf8).withUnsafeBufferPointer(HTMLDetection.looksLikeHTML), "\(page.prefix(40))")
    }

    @Test(arguments: [
        "Plain <b>text</b> with a tag in it.",
        "Daily Meridian - Storm hits coast\n\nThe storm hit at dawn.",
        "\"We will rebuild,\" said the mayor. <3",
        "<Reuters> said nothing.",
        "<not a tag at all",
        "",
        "   ",
    ])
    func text(_ page: String) {
        #expect(!Array(page.utf8).withUnsafeBufferPointer(HTMLDetection.looksLikeHTML), "\(page.prefix(40))")
    }

    @Test func utf16WithAByteOrderMark() {
        let page: [UInt8] = [0xFF, 0xFE] + Array("<html><p>x</p></html>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(page.withUnsafeBufferPointer(HTMLDetection.looksLikeHTML))
    }
}
