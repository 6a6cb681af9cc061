/// Words that stand before a person's name to say where they are from or which side they are on
/// (`Republican Donald Trump`, `Senator from Vermont Bernie Sanders`, `Ukrainian Volodymyr
/// Zelensky`): part of the description, not of the name, so `NameRun` leaves them out of the name
/// when a name of two words or more follows. Parties, demonyms, and the one-word US states. Sorted.
enum AffiliationLexicon {
    static let words = """
        afghan alabama alaska american arizona arkansas australian austrian belgian brazilian british \
        california canadian chinese colorado connecticut conservative cuban danish delaware democrat democratic \
        dutch egyptian florida french georgia german gop greek hawaii idaho illinois independent indian indiana \
        iowa iranian iraqi irish israeli italian japanese kansas kentucky korean labour liberal libertarian \
        louisiana maine maryland massachusetts mexican michigan minnesota mississippi missouri montana nebraska \
        nevada norwegian ohio oklahoma oregon pakistani palestinian pennsylvania polish republican russian \
        saudi scottish socialist spanish swedish syrian tennessee texas tory turkish ukrainian utah venezuelan \
        vermont virginia washington welsh wisconsin wyoming
        """
}
