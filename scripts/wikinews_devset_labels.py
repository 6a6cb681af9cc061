C19 = "wikinews_2019.csv"
C20 = "wikinews_2020.csv"
LABELS = [
 {"csv": C19, "row": 0, "spans": {0: ("Yevgeny Zinichev", "name"), 1: ("Yevgeny Zinichev", "name"), 2: ("Yevgeny Zinichev", "name"), 3: ("Alexander Chupriyan", "name"), 4: (None, "unknown")}},
 {"csv": C19, "row": 1, "spans": {0: ("Nancy Pelosi", "name"), 1: ("Donald Trump", "name")}},
 {"csv": C19, "row": 2, "spans": {0: ("Andrzej Duda", "name"), 1: ("Andrzej Duda", "name"), 2: ("Joachim Brudziński", "pronoun"), 3: ("Andrzej Duda", "name"), 4: ("Andrzej Duda", "name"), 5: ("Tomasz Kubiak", "name")}},
 {"csv": C19, "row": 3, "spans": {0: ("Vinnie DeVita", "name"), 1: ("Alachua Sheriff's Office", "name"), 2: ("Nicole Towarek", "name"), 3: ("Troy Roberts", "pronoun")}},
 {"csv": C19, "row": 4, "spans": {0: ("Ted Cruz", "name")}},
 {"csv": C19, "row": 5, "spans": {}},
 {"csv": C19, "row": 6, "spans": {0: ("Trump", "name"), 1: ("Trump", "pronoun"), 2: ("Mike Pence", "name"), 3: ("Nancy Pelosi", "name"), 4: ("Chuck Schumer", "name"), 5: ("Chuck Schumer", "name"), 6: ("Adam Schiff", "name"), 7: ("Dick Durbin", "name"), 8: ("Trump", "name")}},
]
LABELS += [
 {"csv": C19, "row": 9, "spans": {0: ("Carl Lipo", "name"), 1: ("Carl Lipo", "pronoun"), 2: ("Jo Anne Val Tilburg", "name")}},
 {"csv": C19, "row": 10, "spans": {}},
 {"csv": C19, "row": 11, "spans": {0: None, 1: ("Donald Tusk", "name"), 2: ("Joachim Brudziński", "name"), 3: ("Joachim Brudziński", "pronoun"), 4: ("Joachim Brudziński", "name"), 5: ("Mateusz Morawiecki", "name"), 6: ("Andrzej Duda", "name"), 7: ("Andrzej Duda", "name"), 8: None, 9: ("Tomasz Stefaniak", "name"), 10: ("Łukasz Szumowski", "name")}},
 {"csv": C19, "row": 12, "spans": {0: ("army", "description"), 1: ("The Aviation Herald", "name"), 2: ("Boeing", "name"), 3: None}},
 {"csv": C19, "row": 13, "spans": {0: (None, "unknown")}},
 {"csv": C19, "row": 15, "spans": {0: ("Mike Pompeo", "name"), 1: ("Steffen Seibert", "name"), 2: ("Richard Grenell", "name")}},
 {"csv": C19, "row": 16, "spans": {0: ("Sharif Hotak", "pronoun"), 1: ("Sharif Hotak", "name"), 2: (None, "unknown")}},
]
LABELS += [
 {"csv": C19, "row": 17, "spans": {0: ("Michael Siegel", "name"), 1: (None, "unknown"), 2: (None, "unknown")}},
 {"csv": C19, "row": 19, "spans": {0: ("Delfin Lorenzana", "name"), 1: ("Delfin Lorenzana", "pronoun"), 2: ("Delfin Lorenzana", "pronoun"), 3: ("Delfin Lorenzana", "name"), 4: (None, "unknown")}},
 {"csv": C19, "row": 21, "spans": {0: (None, "unknown"), 1: ("Toronto Police", "name"), 2: ("Rachel Giese", "name")}},
 {"csv": C19, "row": 22, "spans": {0: ("Spanton", "pronoun"), 1: ("Howard Rubel", "name"), 2: ("Sophie Obadia", "name"), 3: (None, "unknown"), 4: (None, "unknown")}},
 {"csv": C19, "row": 24, "spans": {}},
 {"csv": C19, "row": 25, "spans": {0: ("Emergencies Ministry", "name"), 1: ("Emergencies Ministry", "pronoun")}},
 {"csv": C19, "row": 26, "spans": {0: ("Patricia Ann Spearman", "name"), 1: ("Patricia Ann Spearman", "name"), 2: ("Selena Torres", "name"), 3: ("Kelly Dittmar", "name"), 4: ("Kelly Dittmar", "name"), 5: ("Jill Tolles", "name")}},
]
LABELS += [
 {"csv": C19, "row": 27, "spans": {0: ("Allan Casicas", "name"), 1: ("Allan Casicas", "name"), 2: ("CBCP", "name")}},
 {"csv": C19, "row": 28, "spans": {0: ("Pradeep Khosla", "name"), 1: ("Pradeep Khosla", "name"), 2: ("Pradeep Khosla", "name"), 3: ("Margaret Leinen", "name"), 4: ("Margaret Leinen", "pronoun"), 5: ("Margaret Leinen", "pronoun"), 6: ("Margaret Leinen", "pronoun"), 7: ("Mary", "name")}},
 {"csv": C19, "row": 29, "spans": {0: (None, "unknown"), 1: ("Thai Raksa Chart", "description"), 2: ("Ubolratana", "name")}},
 {"csv": C19, "row": 30, "spans": {0: ("Abdullah Kurdi", "name"), 1: ("Abdullah Kurdi", "continued"), 2: ("Carlotta Weibl", "name")}},
 {"csv": C19, "row": 31, "spans": {0: ("Narendra Modi", "name"), 1: ("Narendra Modi", "name"), 2: ("Satyendra Jain", "name")}},
 {"csv": C19, "row": 33, "spans": {0: ("Damodar Naik", "name"), 1: ("Manohar Parrikar", "name"), 2: ("Girish Chodankar", "name"), 3: ("Aam Aadmi Party", "name")}},
 {"csv": C19, "row": 35, "spans": {0: ("Xavier Becerra", "name"), 1: ("Xavier Becerra", "continued")}},
]
LABELS += [
 {"csv": C19, "row": 37, "spans": {0: ("Gray Miller", "name"), 1: ("Gray Miller", "continued"), 2: ("Gray Miller", "description")}},
 {"csv": C19, "row": 38, "spans": {0: ("Durham Hall", "name"), 1: ("Kama Melly", "name"), 2: ("Kama Melly", "name"), 3: (None, "unknown"), 4: (None, "unknown"), 5: ("Bradford Council", "name")}},
 {"csv": C19, "row": 39, "spans": {0: None, 1: ("Bill Gerstenmaier", "name"), 2: ("Elon Musk", "name"), 3: ("Elon Musk", "continued")}},
 {"csv": C19, "row": 41, "spans": {0: ("Greg Barton", "name"), 1: ("Ardern", "pronoun")}},
 {"csv": C19, "row": 45, "spans": {0: ("Erdogan", "name"), 1: ("Erdogan", "name"), 2: ("George Katrougalos", "name"), 3: ("USCIRF", "pronoun"), 4: ("Erdogan", "name"), 5: ("Erdogan", "pronoun")}},
 {"csv": C19, "row": 47, "spans": {0: ("Rebecca Falconer", "name"), 1: ("Gallego-Lazo", "name")}},
 {"csv": C19, "row": 49, "spans": {0: ("Bernard Schwartz", "name"), 1: ("Bernard Schwartz", "name"), 2: ("Bernard Schwartz", "name"), 3: ("David Turpin", "description"), 4: ("Louise Turpin", "description"), 5: (None, "unknown"), 6: (None, "unknown")}},
]
LABELS += [
 {"csv": C20, "row": 0, "spans": {}},
 {"csv": C20, "row": 1, "spans": {0: ("United States Department of Defense", "name"), 1: ("United States Department of Defense", "name"), 2: ("Iranian Revolutionary Guard Corps", "name"), 3: ("Sayyid Ali Hosseini Khamenei", "pronoun"), 4: ("Adil Abdul-Mahdi", "name")}},
 {"csv": C20, "row": 2, "spans": {0: ("Morgan Ortagus", "pronoun"), 1: ("Morgan Ortagus", "pronoun"), 2: ("Foreign Ministry of Iraq", "name")}},
 {"csv": C20, "row": 3, "spans": {}},
 {"csv": C20, "row": 5, "spans": {0: ("Mitsotakis", "pronoun"), 1: ("Mitsotakis", "pronoun"), 2: ("Mitsotakis", "pronoun"), 3: ("Mitsotakis", "pronoun"), 4: ("Mitsotakis", "name"), 5: ("Mitsotakis", "pronoun"), 6: None, 7: ("Netanyahu", "name")}},
 {"csv": C20, "row": 6, "spans": {0: (None, "unknown"), 1: (None, "unknown"), 2: ("Turkish Ministry of Foreign Affairs", "name"), 3: ("Erdoğan", "pronoun"), 4: ("Erdoğan", "pronoun"), 5: ("Kyriakos Mitsotakis", "name"), 6: ("Kyriakos Mitsotakis", "name"), 7: ("Kyriakos Mitsotakis", "pronoun"), 8: ("Kyriakos Mitsotakis", "pronoun")}},
 {"csv": C20, "row": 8, "spans": {0: (None, "unknown"), 1: (None, "unknown"), 2: ("Hassan Rouhani", "name"), 3: ("Mike Pompeo", "name"), 4: ("Volodymyr Zelenskyy", "name")}},
 {"csv": C20, "row": 11, "spans": {0: ("Oleksiy Honcharuk", "name"), 1: ("Oleksiy Honcharuk", "pronoun"), 2: ("Oleksiy Honcharuk", "pronoun"), 3: ("Volodymyr Zelensky", "name")}},
 {"csv": C20, "row": 13, "spans": {0: None, 1: None, 2: None, 3: None}},
]
LABELS += [
 {"csv": C20, "row": 15, "spans": {0: ("police", "description"), 1: (None, "unknown"), 2: None, 3: ("police", "description"), 4: None, 5: ("Amman", "pronoun"), 6: ("Alexis Boon", "name"), 7: ("Sadiq Khan", "name"), 8: ("Sadiq Khan", "name"), 9: ("Sadiq Khan", "continued"), 10: ("Boris Johnson", "name")}},
 {"csv": C20, "row": 16, "spans": {0: None, 1: None, 2: None}},
 {"csv": C20, "row": 14, "spans": {}},
 {"csv": C20, "row": 17, "spans": {}},
 {"csv": C20, "row": 19, "spans": {}},
]
