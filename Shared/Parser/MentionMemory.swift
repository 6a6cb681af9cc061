/// A name, organisation or resolved pronoun met in the article, in text order.
struct Mention: Sendable {
    /// Byte offset where the mention stands in the text.
    var pos: Int
    var name: Range<Int>
    var surname: Range<Int>
    var role: Range<Int>?
    var tokenCount: Int
    var isPerson: Bool
    var isOrg: Bool
    /// Not the object of a preposition or of a speech verb, not a possessive.
    var subjectLike: Bool
    /// What the text says of the person's gender where the mention stands (a title, a given name).
    var gender: Gender = .unknown
    /// The article's sentence the mention stands in, counted from 0.
    var sentence = 0
    /// How prominent the mention's place in its sentence makes it (`Salience`).
    var weight = Salience.other
}

/// How much a mention makes its entity the one a later he or she refers to: the weights of the
/// grammatical roles, in the manner of Lappin and Leass's salience factors, halved for every
/// sentence between the mention and the pronoun.
enum Salience {
    /// The subject of a speech verb: "Hogue said …", "…, said Hogue".
    static let speaker = 100
    /// The subject of another verb.
    static let subject = 80
    /// Anything else: an object, an apposition, a name in a list.
    static let other = 40
    /// A possessive ("Trump's plan").
    static let possessive = 25
    /// The object of a preposition or of a verb of telling ("told Rutte").
    static let oblique = 15
    /// Sentences further back than this no longer count.
    static let horizon = 12
}

/// A person's gender as far as the text says it, for matching he/she.
enum Gender: UInt8, Sendable {
    case unknown, male, female

    /// The gender that a word's lexicon classes say, if exactly one.
    init(_ f: Lexicon.Flags) {
        let male = f.contains(.male)
        let female = f.contains(.female)
        self = male == female ? .unknown : male ? .male : .female
    }

    /// Can a pronoun of gender `pronoun` refer to a person of this one?
    func admits(_ pronoun: Gender) -> Bool { self == .unknown || pronoun == .unknown || self == pronoun }

    /// Both genders said of one person (a wrong given name, two people with one surname): unknown.
    func merged(with other: Gender) -> Gender {
        if self == .unknown { return other }
        if other == .unknown || other == self { return self }
        return .unknown
    }
}

/// Everything the article has named so far: the memory pronouns and descriptions resolve against.
struct MentionMemory {
    let b: UnsafeBufferPointer<UInt8>
    private(set) var mentions: [Mention] = []
    private var personSurnames = HashIndex(capacity: 64)
    /// Surname hash → index of the fullest mention, and of the fullest mention with a role.
    private var fullest = HashIndex(capacity: 64)
    private var fullestWithRole = HashIndex()
    /// Surname hash → how often the text has said the person is a man (low 32 bits) and a woman
    /// (high 32 bits): two people with one surname (Bill and Hillary Clinton) are told apart by which
    /// the article names more.
    private var surnameGender = HashIndex()

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// "he", "she" and "the" packed little-endian, as `read` compares short words.
    private static let he: UInt32 = 0x65_68
    private static let she: UInt32 = 0x65_68_73
    private static let the: UInt32 = 0x65_68_74

    private static let locationPrepositions: [StaticString] = ["in", "at", "from", "near", "into", "across", "to", "outside", "inside"]

    /// The sentence `read` is in.
    private var sentence = 0

    /// Records the names in one paragraph and resolves its he/she pronouns on the way.
    mutating func read(_ r: TokenTable) {
        let n = r.tokens.count
        sentence += 1
        var i = 0
        while i < n {
            let t = r.tokens[i]
            if t.kind == .period || (t.kind == .quote && t.flags.contains(.endsSentence) && r.opensSentence(i + 1)) {
                sentence += 1
            }
            guard t.kind == .word else { i += 1; continue }
            if r.isNameWord(i) {
                let run = r.run(at: i, limit: n)
                i = run.last + 1
                if modifier(r, run) || !(run.hasName || run.isOrg) { continue }
                let prevPrep = run.first > 0 && Self.locationPrepositions.contains { r.isWordEqual(run.first - 1, $0) }
                let afterCue = run.first > 0 && r.has(run.first - 1, (.objectCue | .preposition))
                let afterArticle = run.first > 0 && r.has(run.first - 1, .determiner) && !r.tokens[run.first - 1].isCapitalized
                var cueNext = run.last + 1 < n && r.has(run.last + 1, .cue)
                if !cueNext, run.last + 2 < n, r.has(run.last + 1, .skippable), r.has(run.last + 2, .cue) { cueNext = true }
                let nameR = run.isOrg ? r.orgNameRange(run) : (r.nameRange(run) ?? r.runRange(run))
                let surname = run.isOrg ? nameR : (r.surnameRange(run) ?? nameR)
                var role = run.isOrg ? nil : r.roleRange(before: run, floor: 0)
                if role == nil, !run.isOrg, !prevPrep { role = apposition(r, after: run.last) }
                var person = !run.isOrg && run.isPersonLike && !prevPrep && !afterArticle
                if !run.isOrg, run.nameTokenCount == 1, cueNext, !r.tokens[run.nameLast].flags.contains(.allCaps) { person = true }
                var m = Mention(pos: r.tokens[run.first].start, name: nameR, surname: surname, role: role,
                                tokenCount: run.isOrg ? 1 : max(1, run.nameTokenCount), isPerson: person,
                                isOrg: run.isOrg, subjectLike: !afterCue && !run.possessive, sentence: sentence)
                m.weight = Self.weight(r, run, afterCue: afterCue || prevPrep, cueNext: cueNext)
                if !run.isOrg {
                    m.gender = gender(r, run)
                    noteGender(m.gender, surname: surname)
                }
                if person && (m.tokenCount >= 2 || run.titleLast != nil) { personSurnames.insert(hash(surname)) }
                mentions.append(m)
                if !run.isOrg, run.last + 1 < n, r.tokens[run.last + 1].kind == .word, !r.tokens[run.last + 1].isCapitalized,
                   r.has(run.last + 1, .orgWord) {
                    let head = r.tokens[run.last + 1].start..<r.tokens[run.last + 1].end
                    mentions.append(Mention(pos: r.tokens[run.first].start, name: r.tokens[run.first].start..<head.upperBound,
                                            surname: head, role: nil, tokenCount: 1, isPerson: false, isOrg: true, subjectLike: true, sentence: sentence))
                }
                continue
            }
            let len = t.end - t.start
            if len > 3 || len < 2 { i += 1; continue }
            // Only he, she and the matter here: compare the lower-cased bytes instead of a lexicon look-up.
            var short: UInt32 = 0
            for k in stride(from: t.end - 1, through: t.start, by: -1) {
                let c = b[k]
                short = short << 8 | UInt32(ByteText.isASCIIUpper(c) ? c | 0x20 : c)
            }
            if short == Self.he || short == Self.she, !t.isCapitalized || i == 0 || r.tokens[i - 1].kind != .word {
                if let k = resolvePerson(before: t.start, gender: short == Self.he ? .male : .female) {
                    var m = mentions[k]
                    m.pos = t.start
                    m.subjectLike = true
                    m.sentence = sentence
                    m.weight = Self.pronounWeight(r, i)
                    mentions.append(m)
                }
            } else if short == Self.the {
                // "the Ukrainian army": an organisation described, a candidate for "it".
                var j = i + 1
                while j < n, j <= i + 4, r.tokens[j].kind == .word, !r.has(j, (.orgWord | .cue | .clauseWord | .preposition)) { j += 1 }
                if j < n, j <= i + 4, r.tokens[j].kind == .word, !r.tokens[j].isCapitalized, r.has(j, .orgWord), j > i {
                    let range = r.tokens[i + 1].start..<r.tokens[j].coreEnd
                    mentions.append(Mention(pos: t.start, name: range, surname: range, role: nil, tokenCount: 1,
                                            isPerson: false, isOrg: true, subjectLike: true, sentence: sentence))
                }
            }
            i += 1
        }
    }

    /// The salience weight of a name run by its place in the sentence.
    private static func weight(_ r: TokenTable, _ run: NameRun, afterCue: Bool, cueNext: Bool) -> Int {
        if run.possessive { return Salience.possessive }
        if afterCue {
            // "…, said Hogue": the inverted subject of a speech verb.
            let k = run.first - 1
            if r.has(k, .cue), !r.has(k, .objectCue) || k == 0 || r.tokens[k - 1].kind == .quote || r.tokens[k - 1].kind == .comma {
                return Salience.speaker
            }
            return Salience.oblique
        }
        if cueNext { return Salience.speaker }
        let k = verbAfter(r, run.last + 1)
        if r.has(k, .cue) { return Salience.speaker }
        if r.has(k, .verb | .auxiliary), !r.has(k, .noun) || r.has(k, .verbThird | .verbPast) { return Salience.subject }
        return Salience.other
    }

    /// Where the verb of a subject ending before `k` stands: past a parenthesis ("Levin (Mich.)"), an
    /// apposition between commas ("Kepler, the organist at the church,") and adverbs.
    private static func verbAfter(_ r: TokenTable, _ k0: Int) -> Int {
        var k = k0
        if k < r.count, r.tokens[k].kind == .openParen, let close = r.closingParen(after: k, limit: min(r.count, k + 12)) {
            k = close + 1
        }
        if k < r.count, r.tokens[k].kind == .comma, let next = r.nextComma(after: k, limit: min(r.count, k + 24)),
           !(k + 1..<next).contains(where: { r.has($0, .verbThird | .verbPast | .auxiliary) && !r.has($0, .noun | .adjective) }) {
            k = next + 1
        }
        while k < r.count, r.has(k, .skippable) || r.isAdverb(k) { k += 1 }
        return k
    }

    /// The salience weight of a he or she at token `i`: the subject of a speech verb or of another verb.
    private static func pronounWeight(_ r: TokenTable, _ i: Int) -> Int {
        var k = i + 1
        while k < r.count, r.has(k, .skippable) || r.isAdverb(k) { k += 1 }
        if r.has(k, .cue) { return Salience.speaker }
        if i > 0, r.has(i - 1, .cue), r.tokens[i - 1].isWord { return Salience.speaker }
        return Salience.subject
    }

    /// What run `run` says of its person's gender: its titles and given name ("Mrs.", "Hillary"), or a
    /// gendered role noun right before it ("spokeswoman Jane Doe").
    func gender(_ r: TokenTable, _ run: NameRun) -> Gender {
        var g = Gender.unknown
        let givenName = run.nameTokenCount >= 2 ? run.nameFirst : run.nameFirst - 1
        if givenName >= run.first {
            for k in run.first...givenName { g = g.merged(with: Gender(r.lex(k))) }
        }
        if run.first > 0, r.isWord(run.first - 1), !r.tokens[run.first - 1].isCapitalized {
            g = g.merged(with: Gender(r.lex(run.first - 1)))
        }
        return g
    }

    /// Records what the text said of a surname's gender.
    private mutating func noteGender(_ g: Gender, surname: Range<Int>) {
        guard g != .unknown else { return }
        let h = hash(surname)
        let counts = surnameGender.value(for: h) ?? 0
        surnameGender.set(counts + (g == .male ? 1 : 1 << 32), for: h)
    }

    /// The gender the text gives person mention `m`: the mention's own, else what the article says of
    /// its surname, where one gender is named at least twice as often as the other.
    func gender(of m: Mention) -> Gender {
        m.gender != .unknown ? m.gender : gender(surname: m.surname)
    }

    /// The gender the article gives a surname: one named at least twice as often as the other.
    func gender(surname: Range<Int>) -> Gender {
        guard let counts = surnameGender.value(for: hash(surname)) else { return .unknown }
        let male = counts & 0xFFFF_FFFF
        let female = counts >> 32
        if male >= 2 * female, male > 0 { return .male }
        if female >= 2 * male, female > 0 { return .female }
        return .unknown
    }

    /// A run directly before a lower-case title or organisation word ("Ukrainian leader", "NATO chief").
    func modifier(_ r: TokenTable, _ run: NameRun) -> Bool {
        let k = run.last + 1
        guard k < r.tokens.count, r.tokens[k].kind == .word, !r.tokens[k].isCapitalized else { return false }
        return r.has(k, (.title | .orgWord))
    }

    /// `Name, a spokesman,` / `Name, the Defence Secretary;` gives the role after the comma.
    func apposition(_ r: TokenTable, after last: Int) -> Range<Int>? {
        let n = r.tokens.count
        guard last + 2 < n, r.tokens[last + 1].kind == .comma, r.isWordEqual(last + 2, "a") || r.isWordEqual(last + 2, "an")
            || r.isWordEqual(last + 2, "the") else { return nil }
        var e = last + 3
        while e < n, e < last + 11, r.tokens[e].kind == .word, !r.has(e, .cue) { e += 1 }
        // An appositive noun phrase has no verb of its own: "In Chelsea, the mayor also said" has the
        // subject of the next clause after the comma.
        guard e > last + 3, !(e < n && e < last + 11 && r.tokens[e].kind == .word) else { return nil }
        return r.tokens[last + 3].start..<r.tokens[e - 1].end
    }

    func sameBytes(_ a: Range<Int>, _ c: Range<Int>) -> Bool { ByteText.equal(b, a, c) }

    /// Exact-bytes hash of a range.
    func hash(_ r: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in r { h = (h ^ UInt64(b[i])) &* 0x0000_0100_0000_01B3 }
        return h
    }

    func isPerson(_ m: Mention) -> Bool {
        if m.isPerson { return true }
        if m.isOrg || m.tokenCount != 1 { return false }
        return personSurnames.contains(hash(m.surname))
    }

    /// Indexes fullest names and roles by surname; call once after every paragraph is read.
    ///
    /// A bare surname stands for one person. Where the article names several with it (Ted, Rafael and
    /// Heidi Cruz; Michelle and Barack Obama), it is the one whose gender the article gives the surname
    /// most often ("Mr. Obama"), else the one named first, who is the article's subject; the relatives
    /// come later. Full names of one person (same first word) keep the fullest.
    mutating func finish() {
        for (k, m) in mentions.enumerated() where !m.isOrg {
            let h = hash(m.surname)
            if let j = fullest.value(for: h) {
                if replacesFullest(m, mentions[j]) { fullest.set(k, for: h) }
            } else {
                fullest.set(k, for: h)
            }
            if m.role != nil {
                if let j = fullestWithRole.value(for: h), mentions[j].tokenCount >= m.tokenCount { continue }
                fullestWithRole.set(k, for: h)
            }
        }
    }

    /// Does the later mention `m` name the surname's person better than `o`, the best before it?
    private func replacesFullest(_ m: Mention, _ o: Mention) -> Bool {
        if o.tokenCount == 1 || m.tokenCount == 1 || sameBytes(firstWord(m.name), firstWord(o.name)) {
            return m.tokenCount > o.tokenCount || (m.tokenCount == o.tokenCount && m.name.count > o.name.count)
        }
        // Two people with one surname: the later only where its gender is the surname's and the earlier's is not.
        let g = gender(surname: m.surname)
        return g != .unknown && m.gender == g && o.gender != g
    }

    /// Are `r`'s words the last words of `name` (ASCII case ignored)?
    private func isTail(_ r: Range<Int>, of name: Range<Int>) -> Bool {
        let start = name.upperBound - r.count
        guard start >= name.lowerBound, start == name.lowerBound || b[start - 1] == .space else { return false }
        return ByteText.lowerHash(b, start, name.upperBound) == ByteText.lowerHash(b, r.lowerBound, r.upperBound)
    }

    /// Does `name` start with a given name, or a word the lexicon does not know ("Khizr"), rather than a
    /// word that ended up before the name ("Now Bloomberg", "Former Carson")?
    private func startsWithGivenName(_ name: Range<Int>) -> Bool {
        let w = firstWord(name)
        let flags = Lexicon.shared.allFlags(b, w.lowerBound, w.upperBound)
        return flags.contains(.givenName) || flags.isEmpty
    }

    /// The first word of a name.
    private func firstWord(_ r: Range<Int>) -> Range<Int> {
        var e = r.lowerBound
        while e < r.upperBound, b[e] != .space { e += 1 }
        return r.lowerBound..<e
    }

    /// The person before `pos` whom a pronoun of `gender` most likely refers to: of the people the
    /// pronoun can refer to, the one whose mentions in the sentences before it weigh the most, each
    /// mention's weight halved for every sentence between it and the pronoun (`Salience`).
    func resolvePerson(before pos: Int, gender: Gender) -> Int? {
        var k = mentions.count - 1
        while k >= 0, mentions[k].pos >= pos { k -= 1 }
        guard k >= 0 else { return nil }
        let now = mentions[k].sentence
        // Entities by surname: (salience, the most recent mention).
        var scores: [(surname: UInt64, score: Int, mention: Int)] = []
        var seen = 0
        while k >= 0, seen < 400 {
            let m = mentions[k]
            seen += 1
            let back = now - m.sentence
            if back > Salience.horizon { break }
            if isPerson(m), self.gender(of: m).admits(gender) {
                let h = hash(m.surname)
                let w = (m.weight << 10) >> back
                if let j = scores.firstIndex(where: { $0.surname == h }) {
                    scores[j].score += w
                } else {
                    scores.append((h, w, k))
                }
            }
            k -= 1
        }
        return scores.max { $0.score < $1.score }?.mention
    }

    /// The most recent organisation named with this head word ("the party" → "Thai Raksa Chart party").
    func resolveOrg(head: Range<Int>, before pos: Int) -> Int? {
        var k = mentions.count - 1
        while k >= max(0, mentions.count - 400) {
            let m = mentions[k]
            if m.pos < pos, m.isOrg, m.surname.count == head.count,
               ByteText.lowerHash(b, m.surname.lowerBound, m.surname.upperBound) == ByteText.lowerHash(b, head.lowerBound, head.upperBound),
               m.name.count > head.count {
                return k
            }
            k -= 1
        }
        return nil
    }

    /// The most recent organisation before `pos`.
    func resolveOrg(before pos: Int) -> Int? {
        var k = mentions.count - 1
        while k >= max(0, mentions.count - 400) {
            if mentions[k].pos < pos, mentions[k].isOrg { return k }
            k -= 1
        }
        return nil
    }

    /// The fullest name the article gives for this surname.
    func fullestName(surname: Range<Int>, fallback: Range<Int>) -> Range<Int> {
        guard let k = fullest.value(for: hash(surname)), sameBytes(mentions[k].surname, surname) else { return fallback }
        // "Mr. Obama" is not Michelle Obama: the fullest name's gender is not the one the article gives the surname.
        let g = gender(surname: surname)
        if g != .unknown, mentions[k].gender != .unknown, mentions[k].gender != g { return fallback }
        // A full name of someone else with this surname ("Donald Trump" where the fullest is Melania Trump)
        // stays; a shorter form of the fullest ("Suu Kyi", "de Blasio") or one with its first word does not.
        let full = mentions[k].name
        if fallback != surname, !sameBytes(firstWord(fallback), firstWord(full)), !isTail(fallback, of: full),
           startsWithGivenName(fallback) { return fallback }
        return mentions[k].name.count >= fallback.count || mentions[k].tokenCount > 1 ? mentions[k].name : fallback
    }

    /// The fullest name of a person whose surname is `name`'s last word, ignoring case (a transcript's
    /// `WALLACE` is the article's Chris Wallace); nil when the article names no such person.
    func person(surnameIgnoringCase name: Range<Int>) -> Range<Int>? {
        var s = name.lowerBound
        for i in name where b[i] == .space { s = i + 1 }
        guard s < name.upperBound else { return nil }
        let h = ByteText.lowerHash(b, s, name.upperBound)
        for m in mentions where !m.isOrg && isPerson(m) && m.surname.count == name.upperBound - s
            && ByteText.lowerHash(b, m.surname.lowerBound, m.surname.upperBound) == h {
            return fullestName(surname: m.surname, fallback: m.name)
        }
        return nil
    }

    /// A role the article gives this surname anywhere.
    func role(surname: Range<Int>) -> Range<Int>? {
        guard let k = fullestWithRole.value(for: hash(surname)), sameBytes(mentions[k].surname, surname) else { return nil }
        return mentions[k].role
    }

    /// The person whose role best matches a description's words ("the Ukrainian leader").
    func matchRole(words: [UInt64], head: UInt64, before pos: Int) -> Int? {
        var best: Int?
        var bestScore = 0
        for k in max(0, mentions.count - 300)..<mentions.count where mentions[k].pos < pos && !mentions[k].isOrg {
            let m = mentions[k]
            guard let role = m.role else { continue }
            let roleWords = Self.wordHashes(b, role)
            guard let roleHead = roleWords.last, words.contains(roleHead) || roleWords.contains(head) else { continue }
            var score = 0
            for w in words where roleWords.contains(w) { score += 1 }
            if score >= bestScore, score > 0 {
                best = k
                bestScore = score
            }
        }
        return best
    }

    /// Lower-cased hashes of the words in a range (possessive suffix dropped).
    static func wordHashes(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> [UInt64] {
        var out: [UInt64] = []
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound, !ByteText.isASCIIAlnum(b[i]), b[i] < 0x80 { i += 1 }
            let s = i
            while i < r.upperBound, ByteText.isASCIIAlnum(b[i]) || b[i] >= 0x80 || b[i] == 0x2D || b[i] == 0x2E { i += 1 }
            var e = i
            if i + 1 < r.upperBound, b[i] == 0x27, b[i + 1] == 0x73 { i += 2 }
            if e > s, b[e - 1] == 0x2E { e -= 1 }
            if e > s { out.append(ByteText.lowerHash(b, s, e)) }
            if i == s { i += 1 }
        }
        return out
    }
}
