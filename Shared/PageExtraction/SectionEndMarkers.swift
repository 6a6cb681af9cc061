/// Short lines that open what follows an article on its page: comments, related stories,
/// reading lists.
enum SectionEndMarkers {
    enum Kind {
        /// Comments open at the end of an article: nothing after them is the article.
        case comments
        /// Related stories and reading lists: their box is not the article, but the article can
        /// go on after it.
        case related
    }

    /// The kind of section the line opens: its words, lower-cased, start with one of the markers,
    /// and it has few words and no link ("Related: <a>…</a>" inside an article is a link, not a
    /// section).
    static func marker(_ text: UnsafeBufferPointer<UInt8>, words: Int32, linkWords: Int32) -> Kind? {
        guard words <= 8, linkWords == 0 else { return nil }
        var lowered: [UInt8] = []
        lowered.reserveCapacity(min(text.count, 48))
        for c in text.prefix(48) {
            if c == 0xE2 { lowered.append(0x27); continue }  // a curly apostrophe's first byte, read as '
            if c >= 0x80 { continue }
            lowered.append((c &- 0x41) < 26 ? c | 0x20 : c)
        }
        func starts(with marker: [UInt8]) -> Bool {
            lowered.count >= marker.count && lowered.starts(with: marker)
                && (lowered.count == marker.count || !isLetter(lowered[marker.count]))
        }
        if comments.contains(where: starts) { return .comments }
        if related.contains(where: starts) { return .related }
        return nil
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c &- 0x61) < 26 }

    private static let comments: [[UInt8]] = [
        "comments", "comment", "reader comments", "readers' comments", "readers comments", "your comments",
        "user comments", "have your say", "post a comment", "post your comment", "add a comment", "add your comment",
        "leave a comment", "leave a reply", "write a comment", "join the discussion", "join the conversation",
        "discuss this",
    ].map { Array($0.utf8) }

    private static let related: [[UInt8]] = [
        "related", "external links", "more stories", "more on this story", "see also", "also in", "you may also like",
        "you might also like", "recommended for you", "recommended stories", "most popular", "most read", "most viewed",
        "trending now", "read next", "more from", "top stories", "don't miss",
    ].map { Array($0.utf8) }
}
