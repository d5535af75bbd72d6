"""Canonical speakers (#8): every person an article names is known, whatever the first name, and a
surname, a given name or a title-word surname resolves to the fullest name the article gives."""

import pytest

import quotes
from quotes.names import People, gender_of, strip_titles


def speakers(text):
    return [q.speaker for q in quotes.extract(text)]


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a surname alone: the full name given earlier, whatever the given name
        ('Campaign veteran Hank Sheinkopf was there.\n\n"It is over," Sheinkopf said.', "Hank Sheinkopf"),
        ('Joaquin Castro spoke first.\n\n"We will see," Castro said.', "Joaquin Castro"),
        ('The mother, Phoebe Waller, was angry.\n\n"It hurts," Waller said.', "Phoebe Waller"),
        ('Nesma Farahat was at the protest.\n\n"We are tired," Farahat said.', "Nesma Farahat"),
        ('Both Agerblad and tattoo artist Zashay Tastas were surprised.\n\n"He was one," Tastas told AFP.',
         "Zashay Tastas"),
        ('"It is a good story," said Trevor Houser, a partner at Rhodium.\n\n"Not on its own," Houser said.',
         "Trevor Houser"),
        # an "of" before a name of three words ends a body's name, not the person's
        ('U.S. Attorney for the District of Massachusetts Joshua Levy spoke.\n\n"It is open," Levy said.',
         "Joshua Levy"),
        ('It was confirmed by U.S. Secretary of State Antony Blinken.\n\n"We can," Blinken said.', "Antony Blinken"),
        # a party or place before a known full name folds into it
        ('Republican Donald Trump spoke. Donald Trump left.\n\n"Sad," Trump said.', "Donald Trump"),
        # a sentence's first word that is a word elsewhere is no given name
        ('Currently Blinken is in Panama. Antony Blinken spoke.\n\n"Yes," Blinken said.', "Antony Blinken"),
        # post-nominal letters are no part of the name; a judge's title goes
        ('His Honour Judge Neil Ford QC sentenced him.\n\n"You knew," Judge Ford said.', "Neil Ford"),
        # name particles
        ('"We are mobilized," said Laurence des Cars, the museum’s president.', "Laurence des Cars"),
        # a surname that is also a title word resolves like any surname
        ('CBS host Gayle King asked the question.\n\n"Why now?" King said.', "Gayle King"),
        ('Rep. Sanford Bishop spoke.\n\n"Not yet," Bishop said.', "Sanford Bishop"),
        # a given name alone: the royal style stays
        ('Prince Harry and Meghan Markle spoke.\n\n"We are happy," Harry said.', "Prince Harry"),
        ('Prince Harry and Meghan Markle spoke.\n\n"We are happy," Meghan said.', "Meghan Markle"),
        ('Pope Francis arrived in Rome.\n\n"Peace," Francis said.', "Pope Francis"),
    ],
)
def test_every_named_person_is_known(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a surname shared with a place's or a thing's first word is still the person's
        ('Donald Trump spoke at Trump Tower.\n\n"Sad," Trump said.', "Donald Trump"),
        # a name never met in full stays as written
        ('"It is over," Sheinkopf said.', "Sheinkopf"),
        # a title alone is a description, not a surname
        ('The king spoke.\n\n"We are grateful," the king said.', "the king"),
    ],
)
def test_names_negatives(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(
    "run, name",
    [
        ("OpenAI CEO Sam Altman", "Sam Altman"),
        ("His Honour Judge Neil Ford QC", "Neil Ford"),
        ("Prince Harry", "Prince Harry"),
        ("Queen Elizabeth II", "Queen Elizabeth II"),
        ("Pope Francis", "Pope Francis"),
        ("Rep. Steve King", "Steve King"),
        ("Gayle King", "Gayle King"),
        ("Prince", ""),
        ("Korean President", ""),
        ("Prince William Smith", "William Smith"),  # a style before a full name is a title like others
    ],
)
def test_strip_titles(run, name):
    assert strip_titles(run) == name


@pytest.mark.parametrize(
    "run, gender",
    [
        ("Gayle King", None),  # a surname that is a title word says nothing of sex
        ("Rep. Steve King", "m"),
        ("Prince Harry", "m"),
        ("Queen Elizabeth II", "f"),
        ("Mr. Cueto", "m"),
        ("Ms. Bishop", "f"),
        ("Chi Ossé", None),
    ],
)
def test_gender_from_honorifics_not_surnames(run, gender):
    assert gender_of(run) == gender


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a "he" after a name in its sentence tells the sex of a name no list knows
        ('Joaquin Castro said he would run. Ana Ruiz spoke too.\n\n"We will win," he said.', "Joaquin Castro"),
        ('Chi Ossé said she would run. Joaquin Castro spoke too.\n\n"We will win," she said.', "Chi Ossé"),
        # an object pronoun says nothing of the name before it
        ('Sen. Claire McCaskill scolded him.\n\n"It is a scam," she said.', "Claire McCaskill"),
    ],
)
def test_gender_from_a_pronoun_near_the_name(text, speaker):
    assert speakers(text)[-1] == speaker


def test_a_likely_name_is_no_one_a_pronoun_stands_for_until_it_has_a_sex():
    people = People()
    person = people.introduce("Gustav Lloyd Agerblad")
    assert person is not None and not person.certain
    assert people.introduce("Los Angeles Times") is None  # an organisation's word
    assert people.introduce("NASA Chief") is None
    assert people.lookup("Agerblad") is person


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a description before a name, then the description alone
        ('Billionaire Michael Bloomberg spoke. Later the billionaire suggested it was "a mistake."',
         "Michael Bloomberg"),
        ('Michael Bloomberg, the former New York mayor, spoke.\n\n"It is a mistake," the former mayor argued.',
         "Michael Bloomberg"),
        # a title written with capitals is a description still
        ('PAHO Director Carissa F. Etienne spoke, and the Director noted that "it is rising."', "Carissa F. Etienne"),
        ('Prime Minister Keith Mitchell spoke.\n\nThe Prime Minister said, "We claim to be close."', "Keith Mitchell"),
        # the head of the description decides: a former mayor is no senator
        ('Sen. Jane Roe and former mayor John Doe spoke.\n\n"It is late," the former mayor said.', "John Doe"),
    ],
)
def test_descriptions_point_back_to_the_person_they_describe(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        # "he" after an inverted cue or "according to" is the person it names, not an earlier subject
        ('Mike Pence spoke. "Good news," says Yunfan Gerry Zhang, who studies FRBs. More, "it helps," he says.',
         "Yunfan Gerry Zhang"),
        ('Bruce Gilley wrote a book. This, according to Tahir Della, is wrong. "We just look," he said.',
         "Tahir Della"),
        # a name behind a description opening the sentence is its subject
        ('Mike Pence spoke.\n\nPresumptive Democratic nominee Joe Biden joined the calls.\n\n'
         'He said it was "structural racism".', "Joe Biden"),
        # the subject of the main clause after an introduction
        ('Donald Trump rose. In 2016, as the campaign went on, Tony Schwartz disavowed the book. '
         '"I put lipstick on a pig," he told the magazine.', "Tony Schwartz"),
    ],
)
def test_pronouns_follow_the_subject_just_named(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        # inverted cues: capitalised words describing the name after them
        ('"It is over," said Democratic strategist Hank Sheinkopf.', "Hank Sheinkopf"),
        ('"It is over," noted Maryland-based product liability lawyer Jim Dunham.', "Jim Dunham"),
        ('"It is over," said Trump campaign manager Kellyanne Conway.', "Kellyanne Conway"),
        # negatives: a name followed by words that are no description
        ('"It is over," said Altman during a fireside chat.', "Altman"),
        ('"It is over," said Clinton, who lied about Benghazi.', "Clinton"),
        # a description opening the sentence, the name after a comma and honorifics
        ('Grenada’s Prime Minister and Chairman of the OECS Authority, Dr the Rt. Hon. Keith Mitchell '
         'spoke.\n\nThe Prime Minister said, "We claim to be close."', "Keith Mitchell"),
    ],
)
def test_descriptions_around_a_name(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(
    "text, speaker, unnamed",
    [
        # a described speaker with no name: the description, marked unnamed, and a later "he" is them
        ('Chris Jones spoke. "It is bad," a spokesperson for the UCEA said. "We will fight," he said.',
         "a spokesperson for the UCEA", True),
        ('Chris Jones spoke. A spokesperson for the UCEA said "it is bad." Later he said: "We will fight."',
         "a spokesperson for the UCEA", True),
        ('"We will not comment," A spokeswoman said.', "a spokeswoman", True),
        # a spokeswoman is no "he": the named man before her is
        ('Chris Jones spoke. "No," a spokeswoman said. "We will fight," he said.', "Chris Jones", False),
        # a described thing is no one a pronoun stands for
        ('Chris Jones spoke. "It is bad," the report said. "We will fight," he said.', "Chris Jones", False),
        # a name is not unnamed; an organisation neither
        ('"It is bad," Chris Jones said.', "Chris Jones", False),
        ('"The policy stands," the White House said.', "White House", False),
    ],
)
def test_unnamed_speakers(text, speaker, unnamed):
    q = quotes.extract(text)[-1]
    assert (q.speaker, q.unnamed) == (speaker, unnamed)


@pytest.mark.parametrize(
    "text, mention",
    [
        # never a plural noun, a number word, a collective or a common noun at a sentence's start
        ('"It is bad," Thousands said.', "Thousands"),
        ('"It is bad," the pair said.', "the pair"),
        ('"It is bad," officials said.', "officials"),
        ('"It is bad," the two said.', "the two"),
        ('The health ministry met.\n\nHealth said "it is bad."', "Health"),
        ('"It is unprecedented," An unprecedented said.', "An unprecedented"),
        ('"We will win," the Nazis said.', "the Nazis"),  # a group written as a name
        # a headline in title case
        ('Veto Power Impedes Peace Efforts\n\nVeto Power Impedes Peace Efforts called it "the scourge of war."',
         "Veto Power Impedes Peace Efforts"),
    ],
)
def test_no_speaker_is_a_plural_a_number_or_a_common_noun(text, mention):
    q = quotes.extract(text)[-1]
    assert (q.speaker, q.speaker_mention) == (None, mention)


@pytest.mark.parametrize(
    "text, speaker",
    [
        ('"It is bad," Reuters said.', "Reuters"),  # a name ending in s is no plural
        ('"It is bad," Sanders said.', "Sanders"),
        ('"It is bad," the Times said.', "Times"),
        ('"It is bad," the crowd said.', "the crowd"),
        ('"It is bad," the Democrats said.', "Democrats"),  # a party is an organisation
        ('"It is bad," the Rev. Al Sharpton said.', "Al Sharpton"),
        ('The American Federation of Teachers met; Teachers called her "the champion."', "Teachers"),
    ],
)
def test_speaker_negatives_stay_speakers(text, speaker):
    assert quotes.extract(text)[-1].speaker == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        # "the court", "the trust": the fullest name of the organisation the article gave, not a headline's
        ('Amazon Liable for Products Rules CA Appellate Court\n\nOn Thursday, California’s 4th District Court '
         'of Appeal ruled. The Appellate Court did not agree.\n\n“Amazon placed itself there,” explained the court.',
         "California’s 4th District Court of Appeal"),
        ('The Citizens’ Independent Transportation Trust, which safeguards the tax, met.\n\n'
         'The trust urged that it “honors the prior commitments.”', "Citizens’ Independent Transportation Trust"),
        ('The Ministry of Education closed the schools.\n\n"They are not safe," the ministry said.',
         "Ministry of Education"),
        # negative: no organisation of that name: the description stays
        ('The judge left.\n\n"It is done," the court said.', "the court"),
    ],
)
def test_organisations_by_description(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(
    "text, speaker",
    [
        # "it" is the organisation that is its sentence's subject, or the sentence before's
        ('The United Nations Security Council on Friday condemned the test and pledged sanctions against '
         'what it called "further provocations."', "United Nations Security Council"),
        ('The Ministry of Health met on Monday. "We are ready," it said.', "Ministry of Health"),
        # negatives: "it" of a thing, or of nothing, names no one
        ('The plan failed. "It is over," it said.', None),
        ('"It is over," it said.', None),
        # numbers and slashes in a description before a name after an inverted cue
        ('“It is unfounded,” said 9/11 widow Terry Strada.', "Terry Strada"),
        ('“It is unfounded,” said 34-year-old mother Jane Roe.', "Jane Roe"),
    ],
)
def test_it_and_descriptions_with_numbers(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(("mention", "person"), [
    ("Mr Anderson", "Chris Anderson"),  # the honorific says which of the two Andersons
    ("Mr. Anderson", "Chris Anderson"),
    ("Ms Anderson", "Zoe Anderson"),  # no woman of the name is known: the one of no known sex
    ("Anderson", "Chris Anderson"),  # no honorific: the fullest name the article introduced first
])
def test_an_honorific_picks_the_namesake_of_its_sex(mention, person):
    people = People()
    for run in ("Future Publishing founder Chris Anderson", "Zoe Anderson"):
        people.introduce(run)
    people.settle()
    assert people.lookup(mention).name == person


@pytest.mark.parametrize(("names", "mention", "person"), [
    (("Ted Cruz", "Heidi Cruz"), "Cruz", "Ted Cruz"),  # his story: his wife is named later
    (("Heidi Cruz", "Ted Cruz"), "Cruz", "Heidi Cruz"),
    (("Ted Cruz", "Heidi Cruz"), "Mrs. Cruz", "Heidi Cruz"),  # the honorific still decides
    (("Ted Cruz", "Heidi Cruz"), "Ted", "Ted Cruz"),
])
def test_a_surname_two_people_share_is_the_one_introduced_first(names, mention, person):
    people = People()
    for run in names:
        people.introduce(run)
    people.settle()
    assert people.lookup(mention).name == person


def test_a_name_recorded_with_an_honorific_gives_its_sex_to_the_namesake_of_that_sex():
    # "Mr Anderson" after "Zoe Anderson" and "Chris Anderson" is Chris: Zoe does not become a man
    people = People()
    for run in ("Zoe Anderson", "Future Publishing founder Chris Anderson"):
        people.introduce(run)
    people.settle()
    assert people.add("Mr Anderson").name == "Chris Anderson"
    assert people.lookup("Zoe Anderson").gender is None
    assert people.lookup("Mr Anderson").name == "Chris Anderson"


@pytest.mark.parametrize(("text", "speaker"), [
    # a common word opening a sentence is no given name: the mention is the surname alone
    ('Marco Rubio spoke in Iowa.\n\nAlthough Rubio opposes it, he said: "We will see."', "Marco Rubio"),
    ('Gary Johnson spoke.\n\nNeither Johnson nor Weld attacked her. "Not today," Johnson said.', "Gary Johnson"),
    ('Thomas Perez spoke.\n\nUnderstated Perez raises his profile.\n\n"We win," Perez said.', "Thomas Perez"),
    # negatives: a given name that is also a word, written capitalised inside a sentence too
    ('Ban Ki-moon said: "Peace first."\n\nThe envoy met Ban Ki-moon in May.', "Ban Ki-moon"),
    # a title or style stays with the name
    ('Prince Harry and Meghan Markle spoke.\n\n"We are happy," Harry said.', "Prince Harry"),
])
def test_a_common_word_opening_a_sentence_is_no_part_of_a_name(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize(("text", "mention", "speaker"), [
    # the lower-case words inside a name keep the name whole, whichever rule finds it
    ('New York City Mayor Bill de Blasio indicated that "temporary burials" might be needed.',
     "New York City Mayor Bill de Blasio", "Bill de Blasio"),
    ('"We are ready," said Mayor Bill de Blasio.', "Mayor Bill de Blasio", "Bill de Blasio"),
    ('Bill de Blasio said: "We are ready."', "Bill de Blasio", "Bill de Blasio"),
    ('Ursula von der Leyen said "ready" was the word.', "Ursula von der Leyen", "Ursula von der Leyen"),
    ('Crown Prince Mohammed bin Salman told reporters: "We are ready."',
     "Crown Prince Mohammed bin Salman", "Mohammed bin Salman"),
    # negatives: a particle after no name, or before no name, is no part of one
    ('"Ready," said Blasio de facto.', "Blasio", "Blasio"),
])
def test_the_lower_case_words_inside_a_name(text, mention, speaker):
    q = quotes.extract(text)[-1]
    assert (q.speaker_mention, q.speaker) == (mention, speaker)


@pytest.mark.parametrize(("text", "speaker"), [
    # a headline's verb in title case ends the name before it
    ('Glenn Beck Blasts Drudge Over Trump Coverage\n\n"It is a disgrace," Beck said.', "Glenn Beck"),
    ('Hillary Clinton Speaks To Voters\n\n"We will win," Clinton said.', "Hillary Clinton"),
    ('Dennis Prager Tells Critics Off\n\n"Enough," Prager said.', "Dennis Prager"),
    # a surname first met alone with a title is the one person named in full with it
    ('GOP Rep McCaul Announces Bill\n\nRep. Michael McCaul (R-TX) spoke.\n\n"We acted," McCaul said.',
     "Michael McCaul"),
    ('Rep McCaul spoke first.\n\nRep. Michael McCaul (R-TX) spoke.\n\n"We acted," McCaul said.', "Michael McCaul"),
    # negative: with two people of the surname named in full, the one met alone stays who he was
    ('Sen. Trump spoke. Donald Trump and Ivanka Trump came.\n\n"We won," Trump said.', "Trump"),
])
def test_headline_verbs_and_surnames_met_alone(text, speaker):
    assert speakers(text)[-1] == speaker
