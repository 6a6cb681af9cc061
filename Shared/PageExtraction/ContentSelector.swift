/// Chooses the blocks of a ``PageTree`` that are the article's body.
///
/// 1. Each block is prose (enough words, few of them in links, sentence-shaped) or
///    boilerplate; its words count as such for every element above it. An element's subtree
///    that its class, id, role or tag marks as furniture, supplement or caption counts as
///    boilerplate for the elements above it, whatever its shape.
/// 2. The article's root is the element with the best score: its prose less half its
///    boilerplate, more for an `itemprop=articleBody`, an article-body class or an `<article>`,
///    much less inside marked furniture, and, when the page's structured data gives the body's
///    text, raised by each word of it the element shows.
/// 3. Siblings of the root that are mostly prose and unmarked join it (a lead paragraph in an
///    element of its own, the article split around an advertisement).
/// 4. In the root, blocks under marked boilerplate that holds less than half the article (under a
///    `<nav>`, `<aside>` or `<footer>` that nothing else marks, only those that are not prose),
///    link lists, and the `<h1>` are left out; what a "Comments" or "Related stories" line opens
///    is left out; short non-sentences at either end (bylines, dates, "Share this") are trimmed.
struct ContentSelector {
    let tree: PageTree
    /// Words of the structured-data body each block shows, when the page has one.
    let confirmed: [Bool]?

    /// What weighs against an element, per word of boilerplate, against a word of prose.
    static let boilerplateWeight = 0.5
    /// What a word counts for an element, per level of branching between it and the element:
    /// the article's own container outscores an ancestor that gathers prose from all over the page.
    static let decay = 0.65
    /// What a word of the structured-data body weighs for the element that shows it.
    static let confirmedWeight = 2.0

    struct Selection {
        /// Body blocks, in page order.
        var blocks: [Int] = []
        /// The elements the body was taken from.
        var roots: [Int32] = []
    }

    /// Per element: prose words, boilerplate words, confirmed words in its subtree.
    private struct Sums {
        var prose: [Double]
        var boilerplate: [Double]
        var confirmed: [Double]
        var scoreProse: [Double]
        var scoreBoilerplate: [Double]
        /// Prose blocks in the subtree.
        var proseBlocks: [Int32]
    }

    func select() -> Selection {
        let count = tree.elements.count
        guard count > 0, !tree.blocks.isEmpty else { return Selection() }
        let sums = subtreeSums()
        let root = bestRoot(sums)
        var roots = [root]
        roots.append(contentsOf: siblingsJoining(root, sums))
        roots.sort()
        var blocks: [Int] = []
        let strict = structuredBodyCovers(roots, sums)
        let loose = looseProse(around: root)
        for (index, block) in tree.blocks.enumerated() {
            if loose.contains(index) {
                blocks.append(index)
                continue
            }
            guard let r = roots.first(where: { tree.isInside(block.owner, $0) }) else { continue }
            if strict, confirmed?[index] != true, !isHeading(block) { continue }
            if keeps(index, block, in: r, sums) { blocks.append(index) }
        }
        blocks = trimmed(endingAtMarker(blocks))
        return Selection(blocks: blocks, roots: roots)
    }

    /// A block's prose and boilerplate words.
    func weights(_ b: PageTree.Block) -> (prose: Double, boilerplate: Double) {
        let words = Double(b.words)
        guard words > 0 else { return (0, 0) }
        let links = Double(b.linkWords)
        if isProse(b) { return (words - links, links) }
        return (0, words)
    }

    /// Enough words, few in links, and a sentence's shape; a long paragraph of sentences may
    /// link up to half its words (a blog's paragraph linking its sources). Latin-script text
    /// with no lower-case words is a date, a name or a title, not prose.
    func isProse(_ b: PageTree.Block) -> Bool {
        if b.latinWords >= 3, b.lowerWords < 2, b.lowerWords * 4 < b.latinWords { return false }
        let linkDensity = Double(b.linkWords) / Double(max(b.words, 1))
        if linkDensity > 0.33 { return linkDensity <= 0.5 && b.words >= 30 && b.sentenceEnds > 0 }
        return b.words >= 15 || (b.words >= 7 && (b.sentenceEnds > 0 || b.commas > 0))
    }

    private func subtreeSums() -> Sums {
        let count = tree.elements.count
        var sums = Sums(prose: .init(repeating: 0, count: count), boilerplate: .init(repeating: 0, count: count),
                        confirmed: .init(repeating: 0, count: count), scoreProse: .init(repeating: 0, count: count),
                        scoreBoilerplate: .init(repeating: 0, count: count), proseBlocks: .init(repeating: 0, count: count))
        for (index, block) in tree.blocks.enumerated() {
            let (p, q) = weights(block)
            let o = Int(block.owner)
            sums.prose[o] += p
            sums.boilerplate[o] += q
            sums.scoreProse[o] += p
            sums.scoreBoilerplate[o] += q
            if p > 0 { sums.proseBlocks[o] += 1 }
            if confirmed?[index] == true { sums.confirmed[o] += Double(block.words) }
        }
        var children = [Int32](repeating: 0, count: count)
        for element in tree.elements where element.parent >= 0 { children[Int(element.parent)] += 1 }
        var e = count - 1
        while e > 0 {
            let parent = Int(tree.elements[e].parent)
            if parent >= 0 {
                // A wrapper around one element passes its contents up whole.
                let decay = children[parent] == 1 ? 1 : Self.decay
                if tree.elements[e].hint.isBoilerplate {
                    sums.boilerplate[parent] += sums.prose[e] + sums.boilerplate[e]
                    sums.scoreBoilerplate[parent] += decay * (sums.scoreProse[e] + sums.scoreBoilerplate[e])
                } else {
                    sums.prose[parent] += sums.prose[e]
                    sums.boilerplate[parent] += sums.boilerplate[e]
                    sums.scoreProse[parent] += decay * sums.scoreProse[e]
                    sums.scoreBoilerplate[parent] += decay * sums.scoreBoilerplate[e]
                }
                sums.confirmed[parent] += sums.confirmed[e]
                sums.proseBlocks[parent] += sums.proseBlocks[e]
            }
            e -= 1
        }
        return sums
    }

    private func bestRoot(_ sums: Sums) -> Int32 {
        let count = tree.elements.count
        // The strongest boilerplate mark on each element or above it.
        var marked = [ElementHint](repeating: .none, count: count)
        var best: Int32 = 0
        var bestScore = -Double.infinity
        for e in 0..<count {
            let element = tree.elements[e]
            let inherited = element.parent >= 0 ? marked[Int(element.parent)] : .none
            marked[e] = element.hint.isBoilerplate ? max(element.hint, inherited) : inherited
            var score = sums.scoreProse[e] - Self.boilerplateWeight * sums.scoreBoilerplate[e]
            // A mark of the article's body counts on a container of paragraphs, not on each paragraph.
            if score > 0, sums.proseBlocks[e] >= 2 {
                if element.hint == .articleBody { score *= 1.5 }
                else if element.tag == .article { score *= 1.2 }
                else if element.hint == .content || element.tag == .main { score *= 1.1 }
            }
            if score > 0 {
                switch marked[e] {
                case .furniture: score *= 0.3
                case .supplement, .caption, .furnitureElement: score *= 0.5
                default: break
                }
            }
            score += Self.confirmedWeight * sums.confirmed[e]
            if score >= bestScore {
                bestScore = score
                best = Int32(e)
            }
        }
        return best
    }

    /// Siblings of the root that are mostly prose and not marked as boilerplate: any with a good
    /// share of the root's prose, and, going out from the root, the nearest ones that are
    /// clean prose of any length (a lead paragraph just before the body).
    private func siblingsJoining(_ root: Int32, _ sums: Sums) -> [Int32] {
        let parent = tree.elements[Int(root)].parent
        guard parent >= 0 else { return [] }
        let rootProse = sums.prose[Int(root)]
        // The siblings that hold any text, in order.
        var siblings: [Int32] = []
        var child = parent + 1
        let end = tree.elements[Int(parent)].end
        while child < end {
            let c = Int(child)
            if child == root || sums.prose[c] + sums.boilerplate[c] > 0 { siblings.append(child) }
            child = tree.elements[c].end
        }
        func unmarked(_ c: Int32) -> Bool { !tree.elements[Int(c)].hint.isBoilerplate }
        func clean(_ c: Int32) -> Bool {
            let prose = sums.prose[Int(c)]
            return unmarked(c) && prose >= 10 && sums.boilerplate[Int(c)] <= 0.25 * prose
        }
        var joining: Set<Int32> = []
        for c in siblings where c != root && unmarked(c) {
            let prose = sums.prose[Int(c)]
            if prose >= max(15, 0.15 * rootProse), sums.boilerplate[Int(c)] <= 0.5 * prose { joining.insert(c) }
        }
        guard let at = siblings.firstIndex(of: root) else { return joining.sorted() }
        var before = at - 1
        while before >= 0, clean(siblings[before]) { joining.insert(siblings[before]); before -= 1 }
        var after = at + 1
        while after < siblings.count, clean(siblings[after]) { joining.insert(siblings[after]); after += 1 }
        return joining.sorted()
    }

    /// Prose lying loose in the root's parent just before or after the root (a lead paragraph
    /// written straight into the cell that holds the body).
    private func looseProse(around root: Int32) -> Set<Int> {
        let parent = tree.elements[Int(root)].parent
        guard parent >= 0,
              let first = tree.blocks.firstIndex(where: { tree.isInside($0.owner, root) }),
              let last = tree.blocks.lastIndex(where: { tree.isInside($0.owner, root) }) else { return [] }
        var loose: Set<Int> = []
        var i = first - 1
        while i >= 0, tree.blocks[i].owner == parent, isProse(tree.blocks[i]) { loose.insert(i); i -= 1 }
        i = last + 1
        while i < tree.blocks.count, tree.blocks[i].owner == parent, isProse(tree.blocks[i]) { loose.insert(i); i += 1 }
        return loose
    }

    /// Whether the structured-data body accounts for nearly all the prose of the chosen
    /// elements: then what it lacks (promotions, author notes) is left out too, but for headings.
    private func structuredBodyCovers(_ roots: [Int32], _ sums: Sums) -> Bool {
        guard confirmed != nil else { return false }
        let prose = roots.reduce(0.0) { $0 + sums.prose[Int($1)] }
        let shown = roots.reduce(0.0) { $0 + sums.confirmed[Int($1)] }
        return prose > 0 && shown >= 0.8 * prose
    }

    private func isHeading(_ block: PageTree.Block) -> Bool {
        var e = block.owner
        var steps = 0
        while e >= 0, steps < 4 {
            if tree.elements[Int(e)].tag.isHeading { return true }
            e = tree.elements[Int(e)].parent
            steps += 1
        }
        return false
    }

    /// Whether a block inside root `r` is body text.
    private func keeps(_ index: Int, _ block: PageTree.Block, in r: Int32, _ sums: Sums) -> Bool {
        if confirmed?[index] == true { return true }
        guard block.words > 0 else { return false }
        var e = block.owner
        let rootProse = sums.prose[Int(r)]
        while e != r, e >= 0 {
            let element = tree.elements[Int(e)]
            if element.tag == .h1 { return false }
            if element.hint.isBoilerplate, sums.prose[Int(e)] < 0.5 * rootProse {
                // A tag alone does not make prose furniture.
                if element.hint != .furnitureElement || !isProse(block) { return false }
            }
            e = element.parent
        }
        if Double(block.linkWords) > 0.5 * Double(block.words) { return false }
        return true
    }

    /// Without what a line like "Comments" or "Related stories" opens, once some prose came
    /// before it: the box it heads (its highest element holding none of the body before it);
    /// when it heads no box of its own, everything after a comments line, and a related line alone.
    private func endingAtMarker(_ blocks: [Int]) -> [Int] {
        var kept: [Int] = []
        var excluded: Int32 = -1
        var sawProse = false
        tree.text.withUnsafeBufferPointer { text in
            for i in blocks {
                let b = tree.blocks[i]
                if excluded >= 0, tree.isInside(b.owner, excluded) { continue }
                if sawProse, let previous = kept.last, confirmed?[i] != true,
                   let kind = SectionEndMarkers.marker(UnsafeBufferPointer(rebasing: text[Int(b.start)..<Int(b.end)]),
                                                       words: b.words, linkWords: b.linkWords) {
                    var box = b.owner
                    while case let parent = tree.elements[Int(box)].parent, parent >= 0,
                          !tree.isInside(tree.blocks[previous].owner, parent) {
                        box = parent
                    }
                    // The box holds more than the line (its list, its comments): only the box goes.
                    if i + 1 < tree.blocks.count, tree.isInside(tree.blocks[i + 1].owner, box) {
                        excluded = box
                        continue
                    }
                    if kind == .comments { return }
                    continue
                }
                if isProse(b) { sawProse = true }
                kept.append(i)
            }
        }
        return kept
    }

    /// Without short non-sentences at either end.
    private func trimmed(_ blocks: [Int]) -> [Int] {
        func edge(_ i: Int) -> Bool {
            if confirmed?[i] == true { return false }
            let b = tree.blocks[i]
            return !isProse(b) && b.words < 15
        }
        var lo = 0
        var hi = blocks.count
        while lo < hi, edge(blocks[lo]) { lo += 1 }
        while hi > lo, edge(blocks[hi - 1]) { hi -= 1 }
        return Array(blocks[lo..<hi])
    }
}
