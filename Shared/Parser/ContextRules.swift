/// The context rules: for a direct quotation its own clause does not attribute, a speaker carried over
/// from the text around it (`AttributionRule.context`).
enum ContextRules {
    /// The second half of a split quotation goes on with the first half's speaker.
    static func splitQuotation(_ site: QuoteSite, _ context: RuleContext) -> Attribution? {
        guard let prev = context.found.last, !prev.auxiliary, prev.span.lastParagraph == context.span.paragraph else {
            return nil
        }
        return Attribution(carried: prev.speaker)
    }

    /// A quotation closing its paragraph, signed in the next one.
    static func signatureParagraph(_ site: QuoteSite, _ context: RuleContext) -> Attribution? {
        let next = context.span.lastParagraph + 1
        let t = site.closing
        let closesParagraph = site.closingToken == t.count - 1
            || (site.closingToken == t.count - 2 && t.tokens[t.count - 1].kind == .period)
        guard context.inBody, closesParagraph, next < context.bodyCount,
              let r = AfterRules.signature(context.tables[next], from: 0) else { return nil }
        return Attribution(subject: .run(r), unit: next)
    }

    /// A paragraph opening with a quotation, after a paragraph whose last quotation has a speaker.
    static func quotationParagraph(_ site: QuoteSite, _ context: RuleContext) -> Attribution? {
        guard context.inBody, site.openingToken == 0, let prev = context.found.last(where: { !$0.auxiliary }),
              prev.span.lastParagraph == context.span.paragraph - 1 else { return nil }
        var speaker = prev.speaker
        speaker.mention = nil
        speaker.cue = nil
        return Attribution(carried: speaker)
    }

    /// `Rutte said:` ending the paragraph before.
    static func colonParagraph(_ site: QuoteSite, _ context: RuleContext) -> Attribution? {
        let p = context.span.paragraph - 1
        guard context.inBody, site.openingToken == 0, p >= 0 else { return nil }
        let t = context.tables[p]
        guard let last = t.tokens.last, last.kind == .colon else { return nil }
        let n = t.count - 1
        let start = t.clauseStart(n)
        if let c = t.cueBefore(n, floor: start) {
            var a = t.subjectBefore(c, floor: start)
            a.cue = t.cueRange(c)
            a.unit = p
            return a
        }
        guard let s = t.sentenceSubject(from: start, limit: n) else { return nil }
        return Attribution(subject: s, unit: p)
    }

    /// `Carter said that the region matters.` as the last sentence of the paragraph before, which holds
    /// no quotation: the person who reported speech there goes on speaking.
    static func reportedSpeechLead(_ site: QuoteSite, _ context: RuleContext) -> Attribution? {
        let p = context.span.paragraph - 1
        guard context.inBody, site.openingToken == 0, p >= 0 else { return nil }
        let t = context.tables[p]
        let n = t.count
        guard n > 2, !t.tokens.contains(where: { $0.kind == .quote }) else { return nil }
        var start = t.clauseStart(n - 1, semicolon: false)
        if start >= n - 1, n - 1 > 0 { start = t.clauseStart(n - 2, semicolon: false) }
        guard let c = (start..<min(n, start + 12)).first(where: { t.isCue($0) && t.has($0, .cue) }) else { return nil }
        var a = t.subjectBefore(c, floor: start)
        switch a.subject {
        case .run(let r)? where r.isPersonLike || (r.hasName && !r.isOrg && r.nameTokenCount == 1): break
        case .pronoun(let k)? where t.has(k, .personPronoun): break
        default: return nil
        }
        a.cue = t.cueRange(c)
        a.unit = p
        a.needsSpeaker = true
        return a
    }
}
