/// What an element's class, id, role, `itemprop` or tag says it holds.
enum ElementHint: UInt8, Sendable, Comparable {
    case none
    /// Probably the article or a part of it ("story", "article", "entry", `role=main`).
    case content
    /// Certainly the article's body (`itemprop=articleBody`, "article-body", "entry-content").
    case articleBody
    /// `<nav>`, `<aside>`, `<footer>`, `<menu>` with nothing else to say what they hold: a strike
    /// against them, not a verdict (prose inside one stays in the body).
    case furnitureElement
    /// An image or video caption, or its credit.
    case caption
    /// Byline, dateline, time stamp, author box: about the article, not of it.
    case supplement
    /// Navigation, comments, related stories, sharing, newsletters, promotions, cookie banners, ads.
    case furniture

    static func < (a: ElementHint, b: ElementHint) -> Bool { a.rawValue < b.rawValue }

    /// Whether text under it is kept out of the body (unless it holds most of the article).
    var isBoilerplate: Bool { self >= .caption }
}

/// Reads ``ElementHint``s from class and id values: split into words at punctuation and at
/// lower-to-upper case changes ("relatedStories" is "related" "stories"), each word matched
/// against word lists (a list word matches a word it begins, "comment" matches "comments";
/// words of three letters or fewer match only themselves, "ad" is not "add").
enum HintReader {
    /// The longest class or id value read.
    static let maximumLength = 512

    /// The strongest hint in one class or id value: furniture over supplement over caption over body.
    static func hint(ofClassOrID value: UnsafePointer<UInt8>) -> ElementHint {
        var n = 0
        while value[n] != 0, n < maximumLength { n += 1 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(n, 1)) { lowered in
            // The value lower-cased, letters and digits only, a space between class names:
            // "article-body" and "articleBody" are both "articlebody".
            var squashed = 0
            var best = ElementHint.none
            var wordStart = 0
            var previousLower = false
            func finishWord() {
                if squashed > wordStart {
                    let h = hint(ofWord: UnsafeBufferPointer(rebasing: lowered[wordStart..<squashed]))
                    if h > best { best = h }
                }
                wordStart = squashed
            }
            for i in 0..<n {
                let c = value[i]
                let isUpper = (c &- 0x41) < 26
                let isLower = (c &- 0x61) < 26
                if isUpper || isLower || (c &- 0x30) < 10 {
                    if isUpper && previousLower { finishWord() }
                    lowered[squashed] = isUpper ? c | 0x20 : c
                    squashed += 1
                    previousLower = isLower
                } else {
                    finishWord()
                    previousLower = false
                    if c == 0x20 || c == 0x09 {
                        lowered[squashed] = 0x20
                        squashed += 1
                        wordStart = squashed
                    }
                }
            }
            finishWord()
            if best < .caption, containsBodyCompound(UnsafeBufferPointer(rebasing: lowered[0..<squashed])) { return .articleBody }
            return best
        }
    }

    /// One lower-cased word's hint.
    static func hint(ofWord w: UnsafeBufferPointer<UInt8>) -> ElementHint {
        guard let first = w.first else { return .none }
        if w.count <= 3 {
            return shortWords.first { $0.word.count == w.count && $0.word.elementsEqual(w) }?.hint ?? .none
        }
        if (first &- 0x61) < 26 {
            for row in prefixes[Int(first - 0x61)] where row.matches(w, at: 0) { return row.hint }
        }
        // A long furniture word inside a compound ("storylineupfooter", "maincommentlist").
        if w.count >= 9 {
            for row in compoundFurniture {
                var at = 1
                while at + row.word.count <= w.count {
                    if w[at] == row.word[0], row.matches(w, at: at) { return .furniture }
                    at += 1
                }
            }
        }
        return .none
    }

    /// "articlebody", "story-body", "entry_content": the article's body by a compound class name.
    private static func containsBodyCompound(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count >= 8 else { return false }
        for compound in bodyCompounds where s.count >= compound.count {
            var i = 0
            let last = s.count - compound.count
            while i <= last {
                if s[i] == compound[0], s[i..<(i + compound.count)].elementsEqual(compound) { return true }
                i += 1
            }
        }
        return false
    }

    /// A list word, the longer words it does not cover, and its hint.
    struct Row {
        var word: [UInt8]
        var exceptions: [[UInt8]]
        var hint: ElementHint

        /// Whether `w` has this word at `at` (and none of its exceptions).
        func matches(_ w: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
            guard w.count - at >= word.count else { return false }
            for k in 0..<word.count where w[at + k] != word[k] { return false }
            return !exceptions.contains { e in w.count - at >= e.count && (0..<e.count).allSatisfy { w[at + $0] == e[$0] } }
        }
    }

    /// The hint of an ARIA role.
    static func hint(ofRole role: String) -> ElementHint {
        switch role.lowercased() {
        case "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog",
             "toolbar", "tablist":
            return .furniture
        case "main", "article": return .content
        default: return .none
        }
    }

    /// The hint of an `itemprop` value.
    static func hint(ofItemprop prop: String) -> ElementHint {
        switch prop {
        case "articleBody", "articlebody", "text": return .articleBody
        case "author", "creator", "datePublished", "dateModified", "dateCreated", "publisher": return .supplement
        case "caption", "associatedMedia", "image": return .caption
        case "comment": return .furniture
        default: return .none
        }
    }

    private static let shortWords: [(word: [UInt8], hint: ElementHint)] = {
        let words: [(String, ElementHint)] = [
            ("ad", .furniture), ("ads", .furniture), ("adv", .furniture), ("nav", .furniture), ("tag", .furniture),
            ("rss", .furniture), ("cta", .furniture), ("pub", .furniture), ("dfp", .furniture), ("gpt", .furniture),
            ("mpu", .furniture), ("sr", .furniture), ("by", .supplement), ("img", .caption), ("pic", .caption),
        ]
        return words.map { (Array($0.0.utf8), $0.1) }
    }()

    /// The list words by their first letter, each letter's in the lists' order.
    private static let prefixes: [[Row]] = {
        var buckets = [[Row]](repeating: [], count: 26)
        for row in rows { buckets[Int(row.word[0] - 0x61)].append(row) }
        return buckets
    }()

    /// The furniture words of six letters or more, looked for inside longer words.
    private static let compoundFurniture = rows.filter { $0.hint == .furniture && $0.word.count >= 6 }

    /// Every list word in order: furniture, supplement, caption, content.
    private static let rows: [Row] = {
        let furniture = [
            "comment", "disqus", "respond", "reply", "replies", "related", "recommend", "share", "sharing", "social",
            "newsletter", "subscribe", "subscription", "signup", "promo", "sponsor", "advert", "advertis", "banner",
            "cookie", "consent", "gdpr", "privacy", "navbar", "navigation", "menu", "breadcrumb", "sidebar", "widget", "tags",
            "footer", "masthead", "toolbar", "popular", "mostread", "mostpopular", "trending", "outbrain", "taboola",
            "pagination", "pager", "paging", "login", "signin", "register", "search", "skip", "popup", "modal", "overlay",
            "teaser", "tagcloud", "keyword", "topics", "permalink", "print", "email", "mailto", "tweet", "facebook",
            "twitter", "linkedin", "whatsapp", "pinterest", "reddit", "bookmark", "follow", "readmore", "moreon",
            "morestories", "moreheadlines", "headlines", "nextstory", "prevstory", "previous", "nextpost", "seealso",
            "rightcol", "rightcolumn", "leftcol", "leftcolumn", "rightrail", "rail", "aside", "contentinfo", "copyright",
            "disclaimer", "legal", "ticker", "alert", "sitemap", "storylist", "tools", "utility", "paywall", "regwall",
            "visually", "screenreader", "onetrust",
        ]
        let supplement = [
            "byline", "author", "dateline", "timestamp", "datetime", "published", "posted", "updated", "meta", "info",
            "credit", "source", "kicker", "eyebrow", "standfirst", "subtitle", "headline", "title", "date",
        ]
        let caption = ["caption", "figcaption", "photo", "image", "picture", "gallery", "slideshow", "media", "video", "thumb"]
        let content = ["article", "story", "content", "entry", "hentry", "blogpost", "text", "body", "main", "post", "blog", "column", "news"]
        let exceptions: [String: [String]] = [
            "comment": ["commentary"], "share": ["shareholder"], "meta": ["metal"], "title": ["titles"],
            "date": [], "media": ["mediaeval"], "text": ["textarea"], "print": [], "follow": [],
        ]
        func rows(_ words: [String], _ hint: ElementHint) -> [Row] {
            words.map { Row(word: Array($0.utf8), exceptions: (exceptions[$0] ?? []).map { Array($0.utf8) }, hint: hint) }
        }
        return rows(furniture, .furniture) + rows(supplement, .supplement) + rows(caption, .caption) + rows(content, .content)
    }()

    private static let bodyCompounds: [[UInt8]] = [
        "articlebody", "article body", "storybody", "story body", "articletext", "article text", "storytext", "story text",
        "entrycontent", "entry content", "postcontent", "post content", "articlecontent", "article content",
        "storycontent", "story content", "postbody", "post body", "entrybody", "entry body", "bodytext", "body text",
        "articlecopy", "storycopy", "contentbody", "content body", "maintext", "newsbody", "newstext", "textbody",
    ].map { Array($0.utf8) }
}
