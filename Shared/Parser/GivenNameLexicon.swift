/// Given names that are, in English-language news, nearly always one gender: what a name tells a
/// pronoun ("she" does not pick up "Donald Trump"). Names used for both (Pat, Jordan, Kim, Robin)
/// are left out, so a name missing here only means "unknown". Sorted; add a name by adding it.
enum GivenNameLexicon {
    static let male = """
        aaron abdul adam ahmed alan albert alberto alejandro alex alexander alexei ali andrew andy angus anthony \
        antonio arnold barack barry ben benjamin benny bernard bernie bill billy bob bobby boris brad brett \
        brian bruce bryan carl carlos charles charlie chris christopher chuck clarence colin craig dan daniel \
        darren dave david dennis derek dick don donald doug douglas duncan dwight ed eddie edward emmanuel eric \
        ernest frank franklin fred gary geoffrey george gerald gordon graham greg gregory harold harry henry \
        howard hugh ian ivan jack jacob jake james jamie jared jason jeb jeff jeffrey jeremy jerome jerry jim \
        jimmy joe joel john johnny jon jonathan jorge jose joseph josh juan justin keith ken kenneth kevin larry \
        lawrence leon luis marco marcus mark martin matt matthew max michael miguel mike mitch mitt mohammed \
        muhammad narendra neil nicholas nick nigel olaf oliver omar patrick paul pedro pete peter phil philip \
        rahm ralph rand randy raymond reince rex richard rick rob robert roger ron ronald roy rudy russell ryan \
        sam samuel scott sean sergei sergey seth simon stephen steve steven stuart ted terry thomas tim timothy \
        todd tom tony victor vladimir volodymyr walter wayne william xi yuri
        """
    static let female = """
        abby alice alicia alison amanda amber amy andrea angela angelina ann anna anne annie barbara betsy betty \
        beverly brenda bridget carly carol caroline catherine cathy charlotte chelsea cheryl christina christine \
        claire claudia connie cynthia dana debbie deborah denise diana diane donna dorothy eleanor elena elise \
        elizabeth ellen emily emma erin eva evelyn frances gabrielle gillian gina gloria hannah heather heidi \
        helen hillary huma ilhan ivanka jacqueline jan jane janet janice jean jeanne jennifer jessica jill joan \
        joanne jodi joni josephine joyce judith judy julia julie kamala karen kate katherine kathleen kathy \
        katie kay kellyanne kirsten kristen laura lauren linda lisa liz lori louise lucy lynn madeleine maria \
        marie marilyn martha mary maxine megan melania melissa mia michelle monica nancy natalie nicole nikki \
        nina olivia pamela patricia paula pauline peggy penny rachel rebecca roberta rose ruth sally samantha \
        sandra sara sarah sharon shirley sonia sophia stephanie sue susan suzanne tammy teresa theresa tina \
        tulsi ursula valerie vanessa victoria  wendy yvonne zoe
        """
}
