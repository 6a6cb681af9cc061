/// Short lines that open what follows an article on its page (comments, related stories,
/// reading lists). The body stops at the first one that follows some of its prose.
enum SectionEndMarkers {
    /// The line's words, lower-cased, start with one of the markers, and it has few words.
    static func isMarker(_ text: UnsafeBufferPointer<UInt8>, words: Int32) -> Bool {
        guard words <= 8 else { return false }
        var lowered: [UInt8] = []
        lowered.reserveCapacity(min(text.count, 48))
        for c in text.prefix(48) {
            if c == 0xE2 { lowered.append(0x27); continue }  // a curly apostrophe's first byte, read as '
            if c >= 0x80 { continue }
            lowered.append((c &- 0x41) < 26 ? c | 0x20 : c)
        }
        return markers.contains { marker in
            lowered.count >= marker.count && lowered.starts(with: marker)
                && (lowered.count == marker.count || !isLetter(lowered[marker.count]))
        }
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c &- 0x61) < 26 }

    private static let markers: [[UInt8]] = [
        "comments", "comment", "reader comments", "readers' comments", "readers comments", "your comments",
        "user comments", "have your say", "post a comment", "post your comment", "add a comment", "add your comment",
        "leave a comment", "leave a reply", "write a comment", "join the discussion", "join the conversation",
        "discuss this", "related", "external links", "more stories", "more on this story", "see also", "also in",
        "you may also like", "you might also like", "recommended for you", "recommended stories", "most popular",
        "most read", "most viewed", "trending now", "read next", "read more:", "more from", "top stories", "don't miss",
    ].map { Array($0.utf8) }
}
