/// The word lists the page-structure layer classifies lines with (`Lexicons/*.txt`), each as a
/// `PhraseList`. They are matched on a line's bytes before tokenization, so they are not lexicon flags.
enum FurnitureWords {
    /// `READ MORE:`, `WATCH:`: a link or promo line when a colon or bar follows.
    static let promoLabels = PhraseList(LexiconData.promoLabels)
    /// `Click here …`, `Sign up for …`: a link or promo line whatever follows.
    static let promoOpenings = PhraseList(LexiconData.promoOpenings)
    /// `Share`, `Print`: furniture when a short line opens with them.
    static let promoWords = PhraseList(LexiconData.promoWords)
    /// Every list whose entries open a line, in one filter: a line whose start it turns away opens no
    /// furniture by its first words (its `mayStart` is all that is asked of it).
    static let lineOpenings = PhraseList([
        LexiconData.pageBreaks, LexiconData.promoLabels, LexiconData.promoOpenings, LexiconData.promoWords,
        LexiconData.captionMarkers, LexiconData.creditOpenings, LexiconData.creditMarkers, LexiconData.pictureAgencies,
    ].map { ($0, 0) })
    /// What a phrase of `inlinePhrases` makes its line.
    enum InlineTag {
        static let promo: UInt8 = 1
        static let credit: UInt8 = 2
    }
    /// Phrases that make a short line furniture wherever they stand in it, in one list so that one scan
    /// finds them: `… uses cookies …` (`promo-phrases.txt`, a promo or consent line), `… contributed to
    /// this report.` (`credit-phrases.txt`, a credit line).
    static let inlinePhrases = PhraseList([(LexiconData.promoPhrases, InlineTag.promo), (LexiconData.creditPhrases, InlineTag.credit)])
    /// `ADVERTISEMENT`, `Story continues below`.
    static let pageBreaks = PhraseList(LexiconData.pageBreaks)
    /// `Photo:`, `Photo by`, `FILE PHOTO`: a photo credit follows.
    static let creditMarkers = PhraseList(LexiconData.creditMarkers)
    /// `Copyright`, `With files from`, `Reporting by`: a credit line with no photo credit.
    static let creditOpenings = PhraseList(LexiconData.creditOpenings)
    /// `File`, `Handout`, `Pool`: parts of a photo credit that are no agency.
    static let creditWords = PhraseList(LexiconData.creditWords)
    /// `FILE - …`, `Open this photo in gallery:`: a caption follows.
    static let captionMarkers = PhraseList(LexiconData.captionMarkers)
    /// `Getty Images`, `AP Photo`, `THE CANADIAN PRESS`.
    static let pictureAgencies = PhraseList(LexiconData.pictureAgencies)
    /// `Reuters`, `The Canadian Press`, `AP`: wire desks that sign stories.
    static let newsAgencies = PhraseList(LexiconData.newsAgencies)
    /// `By`, `Posted by`: a byline's name follows.
    static let bylineOpenings = PhraseList(LexiconData.bylineOpenings)
    /// `Writer`, `staff reporter`, `agencies`: roles that end a byline line.
    static let bylineRoles = PhraseList(LexiconData.bylineRoles)
    /// Months, weekdays, clock words and time zones of date lines.
    static let dateWords = PhraseList(LexiconData.dateWords)
    /// `SCORE`, `ENERGY`, `CURRENCIES`: label words that never name a speaker.
    static let sectionLabels = PhraseList(LexiconData.sectionLabels)
    /// `MODERATOR`, `Q`, `UNIDENTIFIED MALE`: labels that name a transcript speaker by role.
    static let transcriptRoles = PhraseList(LexiconData.transcriptRoles)
    /// `UPDATE`, `WATCH`, `EDITOR'S NOTE`: label words of lines that are no speech (shared with the lexicon).
    static let lineLabels = PhraseList(LexiconData.lineLabels)
    /// Words that cannot belong to a name (shared with the lexicon).
    static let stopWords = PhraseList(LexiconData.stopWords)
    /// Titles and role nouns before a name (shared with the lexicon).
    static let titles = PhraseList(LexiconData.titles)
    /// `de`, `van`, `bin`: lower-case words inside a name.
    static let nameParticles = PhraseList(LexiconData.nameParticles)
    /// Given names (shared with the lexicon).
    static let givenNames = PhraseList(LexiconData.givenNamesMale + "\n" + LexiconData.givenNamesFemale)
}
