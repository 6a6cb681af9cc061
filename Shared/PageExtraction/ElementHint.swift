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
    /// The strongest hint in one class or id value: furniture over supplement over caption over body.
    static func hint(ofClassOrID value: UnsafePointer<UInt8>) -> ElementHint {
        var best = ElementHint.none
        var squashed: [UInt8] = []
        var word: [UInt8] = []
        var i = 0
        var previousLower = false
        func finishWord() {
            if !word.isEmpty {
                let h = hint(ofWord: word)
                if h > best { best = h }
                word.removeAll(keepingCapacity: true)
            }
        }
        while value[i] != 0, i < 512 {
            let c = value[i]
            let isUpper = (c &- 0x41) < 26
            let isLower = (c &- 0x61) < 26
            let isDigit = (c &- 0x30) < 10
            if isUpper || isLower || isDigit {
                if isUpper && previousLower { finishWord() }
                let l = isUpper ? c | 0x20 : c
                word.append(l)
                squashed.append(l)
                previousLower = isLower
            } else {
                finishWord()
                previousLower = false
                if c == 0x20 || c == 0x09 { squashed.append(0x20) }
            }
            i += 1
        }
        finishWord()
        if best < .caption, containsBodyCompound(squashed) { return .articleBody }
        return best
    }

    static func hint(ofWord w: [UInt8]) -> ElementHint {
        if w.count <= 3 {
            let key = String(decoding: w, as: UTF8.self)
            return shortWords[key] ?? .none
        }
        for (prefix, exceptions, hint) in prefixes {
            guard w.count >= prefix.count, w.starts(with: prefix) else { continue }
            if exceptions.contains(where: { w.starts(with: $0) }) { continue }
            return hint
        }
        // A long furniture word inside a compound ("storylineupfooter", "maincommentlist").
        if w.count >= 9 {
            for (word, exceptions, hint) in prefixes where hint == .furniture && word.count >= 6 {
                guard let at = firstIndex(of: word, in: w), at > 0 else { continue }
                if exceptions.contains(where: { w[at...].starts(with: $0) }) { continue }
                return hint
            }
        }
        return .none
    }

    private static func firstIndex(of needle: [UInt8], in w: [UInt8]) -> Int? {
        guard w.count >= needle.count else { return nil }
        for i in 0...(w.count - needle.count) where w[i] == needle[0] && w[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }

    /// "articlebody", "story-body", "entry_content": the article's body by a compound class name.
    private static func containsBodyCompound(_ s: [UInt8]) -> Bool {
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

    private static let shortWords: [String: ElementHint] = [
        "ad": .furniture, "ads": .furniture, "adv": .furniture, "nav": .furniture, "tag": .furniture, "tags": .furniture,
        "rss": .furniture, "menu": .furniture, "foot": .furniture, "cta": .furniture, "pub": .furniture, "dfp": .furniture,
        "gpt": .furniture, "mpu": .furniture, "by": .supplement, "img": .caption, "pic": .caption, "sr": .furniture,
    ]

    /// (prefix, words it does not cover, hint), checked in order.
    private static let prefixes: [([UInt8], [[UInt8]], ElementHint)] = {
        let furniture = [
            "comment", "disqus", "respond", "reply", "replies", "related", "recommend", "share", "sharing", "social",
            "newsletter", "subscribe", "subscription", "signup", "promo", "sponsor", "advert", "advertis", "banner",
            "cookie", "consent", "gdpr", "privacy", "navbar", "navigation", "menu", "breadcrumb", "sidebar", "widget",
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
        func rows(_ words: [String], _ hint: ElementHint) -> [([UInt8], [[UInt8]], ElementHint)] {
            words.map { (Array($0.utf8), (exceptions[$0] ?? []).map { Array($0.utf8) }, hint) }
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
