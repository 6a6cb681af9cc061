import Foundation
import PageExtraction
import QuotewireModels
import Testing

/// One small page of our own per kind of page that broke the old tag scanner, and per
/// part of the article the extractor must keep or leave out.
@Suite("Page extraction: kinds of pages")
struct PageClassTests {
    let quarry = TestSupport.quarryParagraphs

    @Test func scriptWithLessThanSignsAndJSON() {
        let html = TestSupport.wrapped("""
            <script>for (var i = 0; i<ca.length; i++) { if (x <= 0 && y<z) { break; } } document.write('</div></body>');</script>
            <script type="application/json">{"teaser": "<p>Not page text</p></div></main>", "n": 1}</script>
            <article>\(TestSupport.quarryBody)</article>
            <script>/* </p><p>a comment */ var tail = "<head>";</script>
            """)
        #expect(TestSupport.extract(html).paragraphs == quarry)
    }

    @Test func unclosedHeadAndNoBody() {
        let html = """
            <html><head><title>Council votes to reopen the Millbrook quarry - The Valley Courier</title><meta name="author" content="Ines Mabry">
            <div class="story">\(TestSupport.quarryBody)</div>
            """
        let page = TestSupport.extract(html)
        #expect(page.paragraphs == quarry)
        #expect(page.metadata.headline == "Council votes to reopen the Millbrook quarry")
        #expect(page.metadata.outlet == "The Valley Courier")
        #expect(page.metadata.byline == "Ines Mabry")
    }

    @Test func wholePageInsideAForm() {
        let html = """
            <!DOCTYPE html><html><head><title>Quarry plan</title></head><body>
            <form name="aspnetForm" method="post" action="story.aspx"><input type="hidden" name="__VIEWSTATE" value="abc">
            <div class="header"><a href="/">Home</a> | <a href="/news">News</a></div>
            <div id="story">\(TestSupport.quarryBody)</div>
            <div class="footer"><a href="/about">About</a></div>
            </form></body></html>
            """
        #expect(TestSupport.extract(html).paragraphs == quarry)
    }

    @Test func commentThreadIsLeftOut() {
        let marked = TestSupport.wrapped("""
            <article>\(TestSupport.quarryBody)</article>
            <section id="comments"><h3>12 comments</h3>
            <div class="comment"><p>The council never listens to the ridge, and it never will, whatever it says about objections in its press releases.</p></div>
            <div class="comment"><p>My children walk that lane every morning and I will be at the next meeting to say so, loudly and at length.</p></div>
            </section>
            """)
        #expect(TestSupport.extract(marked).paragraphs == quarry)
        // Comments with no class to name them, after a heading that says what they are.
        let unmarked = TestSupport.wrapped("""
            <div>\(TestSupport.quarryBody)
            <p><b>Your comments</b></p>
            <p><i>Sam, Millbrook:</i> The council never listens to the ridge, and it never will, whatever it says about objections.</p>
            <p><i>Jo, Eastfield:</i> My children walk that lane every morning and I will be at the next meeting to say so.</p></div>
            """)
        #expect(TestSupport.extract(unmarked).paragraphs == quarry)
    }

    @Test func relatedStoriesAreLeftOut() {
        let html = TestSupport.wrapped("""
            <div class="article-body">\(TestSupport.quarryParagraphs[0...1].map { "<p>\($0)</p>" }.joined())
            <div class="related-links"><h4>Related</h4><ul><li><a href="/a">Quarry lorries: what the rules say</a></li><li><a href="/b">Millbrook school asks for crossing</a></li></ul></div>
            \(TestSupport.quarryParagraphs[2...3].map { "<p>\($0)</p>" }.joined())</div>
            <div class="more-stories"><h3>More from the valley</h3>
            <div class="teaser"><h4><a href="/c">Ridge walkers find rare orchid</a></h4><p>A botanist from the county museum confirmed the find, the first in the valley for forty years.</p></div>
            <div class="teaser"><h4><a href="/d">Bus route saved after petition</a></h4><p>The operator reversed its decision after two thousand residents signed a petition last month.</p></div></div>
            """)
        #expect(TestSupport.extract(html).paragraphs == quarry)
    }

    @Test func relatedLinesInsideTheArticleDoNotEndIt() {
        let html = TestSupport.wrapped("""
            <div class="story">\(quarry[0...1].map { "<p>\($0)</p>" }.joined())
            <p><strong>Related:</strong> <a href="/a">Quarry lorries: what the rules say about school lanes</a></p>
            <p><b>RELATED</b></p><ul><li><a href="/b">Millbrook school asks for a crossing patrol</a></li></ul>
            \(quarry[2...3].map { "<p>\($0)</p>" }.joined())</div>
            """)
        #expect(TestSupport.extract(html).paragraphs == quarry)
    }

    @Test func cookieBannerIsLeftOut() {
        let html = TestSupport.wrapped("""
            <div id="cookie-consent" class="banner"><p>We use cookies and similar technologies to improve your experience, measure traffic and show relevant advertising. You can change your choices at any time.</p><button>Accept</button></div>
            <article>\(TestSupport.quarryBody)</article>
            """)
        #expect(TestSupport.extract(html).paragraphs == quarry)
    }

    @Test func jsonLDArticle() throws {
        let body = quarry.joined(separator: "\\n").replacingOccurrences(of: "\"", with: "\\\"")
        let head = """
            <title>Council reopens quarry | The Valley Courier</title>
            <link rel="canonical" href="https://valley-courier.example/news/quarry">
            <script type="application/ld+json">
            {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council votes to reopen Millbrook quarry",
             "datePublished": "2026-04-07T18:05:00+01:00", "author": {"@type": "Person", "name": "Ines Mabry"},
             "publisher": {"@type": "NewsMediaOrganization", "name": "The Valley Courier"}, "articleBody": "\(body)"}
            </script>
            """
        // The markup shows the body, with a promotion inside it that the structured body lacks.
        let shown = TestSupport.wrapped("""
            <article><h1>Council votes to reopen Millbrook quarry</h1>
            <div class="content">\(quarry[0...1].map { "<p>\($0)</p>" }.joined())
            <p>Get the Courier's morning briefing in your inbox every weekday before seven, with all the valley's news in one place.</p>
            \(quarry[2...3].map { "<p>\($0)</p>" }.joined())</div></article>
            """, head: head)
        let page = TestSupport.extract(shown)
        #expect(page.paragraphs == quarry)
        #expect(page.metadata.headline == "Council votes to reopen Millbrook quarry")
        #expect(page.metadata.outlet == "The Valley Courier")
        #expect(page.metadata.byline == "Ines Mabry")
        #expect(page.metadata.canonicalURL == "https://valley-courier.example/news/quarry")
        #expect(page.metadata.publishedAt == Date(timeIntervalSince1970: 1_775_581_500))
        // The markup does not show the body (a page that renders it with a script): the structured body is it.
        let empty = TestSupport.wrapped("<div id=\"app\"></div>", head: head)
        #expect(TestSupport.extract(empty).paragraphs == quarry)
    }

    @Test func wrongMetaCharsetOnUTF8Bytes() throws {
        let html = """
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><title>Café owner “delighted”</title></head>
            <body><div class="story"><p>The café on Mill Street, run by Zoë Brontë since 2019, reopened on Friday after a winter of repairs to its roof and kitchen.</p>
            <p>“We are delighted to be back,” she said, standing beside the new crêpe counter that her customers had paid for.</p></div></body></html>
            """
        let page = try TestSupport.extract(bytes: Array(html.utf8))
        #expect(page.paragraphs.first?.contains("café on Mill Street, run by Zoë Brontë") == true)
        #expect(page.paragraphs.last?.hasPrefix("“We are delighted to be back,”") == true)
        #expect(page.metadata.headline == "Café owner “delighted”")
    }

    @Test func declaredCharsetsAreRead() throws {
        let html = """
            <html><head><meta charset="windows-1252"><title>Café</title></head><body><div class="story">
            <p>The café on Mill Street, run by Zoë Brontë since 2019, reopened on Friday after a winter of repairs to its roof.</p>
            <p>“We are delighted to be back,” she said – and the queue outside agreed, all the way to the corner.</p></div></body></html>
            """
        let bytes = try #require(html.data(using: .windowsCP1252))
        #expect(String(data: bytes, encoding: .utf8) == nil, "the page's bytes are not UTF-8")
        let page = try TestSupport.extract(bytes: Array(bytes))
        #expect(page.paragraphs[0].contains("café on Mill Street, run by Zoë Brontë"))
        #expect(page.paragraphs[1].hasPrefix("“We are delighted to be back,” she said –"))
        // The HTTP content type names it, the page does not.
        let undeclared = html.replacingOccurrences(of: "<meta charset=\"windows-1252\">", with: "")
        let latin = try #require(undeclared.data(using: .windowsCP1252))
        #expect(try TestSupport.extract(bytes: Array(latin), contentType: "text/html; charset=iso-8859-1").paragraphs == page.paragraphs)
        #expect(throws: PageDecodingError.self) { try TestSupport.extract(bytes: Array(latin)) }
        // A byte-order mark names UTF-16.
        let utf16: [UInt8] = [0xFF, 0xFE] + Array(html.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try TestSupport.extract(bytes: utf16).paragraphs == page.paragraphs)
    }

    @Test func noDoctypeAndUpperCaseTags() {
        let html = """
            <HTML><HEAD><TITLE>Quarry plan</TITLE></HEAD><BODY BGCOLOR="#FFFFFF">
            <TABLE><TR><TD CLASS="nav"><A HREF="/">Home</A><BR><A HREF="/news">News</A></TD>
            <TD><FONT SIZE="2">\(quarry.joined(separator: "<BR><BR>\n"))</FONT></TD></TR></TABLE></BODY></HTML>
            """
        #expect(TestSupport.extract(html).paragraphs == quarry)
        #expect(Array(html.utf8).withUnsafeBufferPointer(HTMLDetection.looksLikeHTML))
    }

    @Test func captionsBylineAndHeadlineLeaveTheBody() {
        let html = TestSupport.wrapped("""
            <article><header><h1>Council votes to reopen quarry</h1><p class="byline">By Ines Mabry</p>
            <time datetime="2026-04-07">7 April 2026</time></header>
            <figure><img src="/q.jpg"><figcaption>The old quarry above Millbrook, closed since 2020. Photo: Valley Courier</figcaption></figure>
            \(TestSupport.quarryBody)</article>
            """, head: "<title>Council votes to reopen quarry</title>")
        let page = TestSupport.extract(html)
        #expect(page.paragraphs == quarry)
        #expect(page.metadata.headline == "Council votes to reopen quarry")
        #expect(page.metadata.byline == "Ines Mabry")
        #expect(page.metadata.captions == ["The old quarry above Millbrook, closed since 2020. Photo: Valley Courier"])
        #expect(page.metadata.publishedAt == Date(timeIntervalSince1970: 1_775_520_000))
    }

    @Test func headerInsideTheArticleIsKept() {
        let lead = "In a late vote that surprised both sides, the council agreed to reopen the quarry on strict conditions about lorries and hours."
        let html = TestSupport.wrapped("""
            <article><header><h1>Quarry to reopen</h1><p>\(lead)</p></header>\(TestSupport.quarryBody)</article>
            """)
        #expect(TestSupport.extract(html).paragraphs == [lead] + quarry)
    }

    @Test func quotationsListsAndHiddenText() {
        let html = TestSupport.wrapped("""
            <div class="story-body">\(quarry[0...1].map { "<p>\($0)</p>" }.joined())
            <blockquote><p>"No lorry will pass the school at drop-off or pick-up time, and we will enforce it," the permit reads.</p></blockquote>
            <p>The conditions include:</p><ul><li>no lorries before eight in the morning;</li><li>a weight limit of eighteen tonnes on the lane;</li></ul>
            <p style="display: none">Hidden text for robots that no reader sees on the page at all, whatever it claims.</p>
            \(quarry[2...3].map { "<p>\($0)</p>" }.joined())</div>
            """)
        let page = TestSupport.extract(html)
        #expect(page.paragraphs == Array(quarry[0...1]) + [
            "\"No lorry will pass the school at drop-off or pick-up time, and we will enforce it,\" the permit reads.",
            "The conditions include:", "no lorries before eight in the morning;", "a weight limit of eighteen tonnes on the lane;",
        ] + Array(quarry[2...3]))
    }

    @Test func strayParagraphEndsAndWindowsCharacterReferences() {
        // Paragraphs ended by a bare </p> (no <p> opened them), quote marks as windows-1252 references.
        let html = TestSupport.wrapped("""
            <div class="story"><font>\(quarry[0])</p>&#147;We have listened to every objection,&#148; said council leader Amira Haddad.</p>\(quarry[2])</p>\(quarry[3])</font></div>
            """)
        #expect(TestSupport.extract(html).paragraphs == [
            quarry[0], "“We have listened to every objection,” said council leader Amira Haddad.", quarry[2], quarry[3],
        ])
    }

    @Test func aPageWithoutAnArticleShapeStillGivesItsText() {
        let page = TestSupport.extract("<p>Short note: the meeting moved to Thursday.</p>")
        #expect(page.paragraphs == ["Short note: the meeting moved to Thursday."])
        #expect(page.hasText)
        #expect(!TestSupport.extract("<html><head><title>Nothing</title></head><body><script>x()</script></body></html>").hasText)
        #expect(TestSupport.extract("").paragraphs.isEmpty)
    }
}
