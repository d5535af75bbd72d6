"""Speaker names: recognising the people an article names, and the canonical form of each.

News style introduces a person once in full, with a title ("OpenAI CEO Sam Altman", "Sen. Ted Cruz
(R-Texas)"), then uses the surname alone ("Altman"), a pronoun ("he") or a description ("the CEO").
`People` collects the full introductions of one article so that every later form can be turned back into
the fullest name the article gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# Titles that stand before a name ("CEO Sam Altman", "Sen. Ted Cruz"). They are never part of the
# canonical name; a description made of one ("the senator") points back to the person who holds it.
TITLES = frozenset(
    """
    mr mrs ms miss dr prof rev sir dame lord lady
    president vice pres sen senator rep representative gov governor lt gen general col sgt capt adm
    secretary minister chancellor premier mayor judge justice attorney commissioner chairman chairwoman
    chair chairperson director ceo cfo coo cto founder cofounder co-founder chief executive officer
    spokesman spokeswoman spokesperson speaker leader chief manager editor professor analyst
    candidate nominee congressman congresswoman councilman councilwoman ambassador sheriff officer
    coach pastor king queen prince princess pope former acting deputy assistant associate executive
    vice-president host anchor correspondent reporter columnist economist strategist adviser advisor
    aide pollster lawyer doctor treasurer superintendent chair-elect whip alderman alderwoman advocate
    co-anchor commentator historian researcher scientist author physician surgeon delegate lawmaker
    legislator comptroller prosecutor detective trooper lieutenant captain sergeant colonel admiral
    rabbi imam bishop archbishop cardinal reverend publisher producer investor billionaire businessman
    businesswoman mogul entrepreneur consultant operative organizer activist
    """.split()
)

# Nouns for a person beside the titles: an unnamed speaker a pronoun can stand for ("a source said").
PERSON_NOUNS = frozenset(
    """
    official source aide friend resident witness expert critic neighbor neighbour student man woman
    person member supporter voter relative father mother son daughter wife husband brother sister
    consultant agent attendant participant
    """.split()
)
# Endings of nouns for someone who does something ("strategist", "lawyer", "spokesperson").
AGENT_ENDINGS = ("er", "or", "ist", "ian", "man", "woman", "person")

# Titles that are also surnames: at the end of a name they are the surname ("Rep. Steve King").
SURNAME_TITLES = frozenset("king bishop major marshal pope cardinal sheriff judge dean chancellor captain".split())

# Royal and religious styles that stay with a single given name in its canonical form ("Prince Harry",
# "Pope Francis", "Queen Elizabeth II"): without them the name alone is ambiguous.
KEPT_STYLES = frozenset("prince princess king queen pope duke duchess emperor empress sheikh saint".split())
# Letters after a name that are no part of it ("Neil Ford QC", "Jane Roe MP", "John Doe PhD").
POST_NOMINALS = frozenset("qc kc mp msp mla mep mbe obe cbe kbe dbe phd md esq rn".split())
_ROMAN = re.compile(r"[IVX]+")  # a regnal number: "Elizabeth II"

# Verbs that a headline in title case capitalises and no name holds ("Glenn Beck Says Trump Is …"): a name
# run stops at them.
HEADLINE_VERBS = frozenset(
    """
    says said is was are were has have had not just does did can could would should gets got wants
    tells speaks slams reveals warns admits blasts rips explains accuses urges announces confirms denies
    insists praises vows threatens defends mocks demands suggests pledges argues responds
    """.split()
)
# Words that can be capitalised at a sentence's start or in a name-like run but never name a person.
NOT_NAMES = HEADLINE_VERBS | frozenset(
    """
    the a an and or but of in on at to for from by with as if when while after before since this that
    these those it its he she they we i you his her their our my your who what which where why how
    there here then than so yet not no yes also just only still even now today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    god nobody everyone everybody someone somebody anyone anybody none nothing something everything
    """.split()
)

# Capitalised words that mark an organisation or a place rather than a person ("Samsung Electronics",
# "White House", "State Department"): such a run is kept as a speaker (organisations speak) but is
# never a person a pronoun can point back to.
ORG_WORDS = frozenset(
    """
    house department ministry office agency committee council commission court party campaign
    administration university college institute association foundation center centre group company
    corp corporation inc co ltd llc bank network news times post journal press tribune herald
    network television tv radio magazine service services union organization organisation bureau
    board team club church school hospital airlines electronics telecom republicans democrats
    government senate congress parliament police army navy fbi cia pentagon kremlin white
    """.split()
)

# Abbreviations that end with a stop inside a name ("George H.W. Bush", "Martin Luther King Jr.").
ABBREVIATIONS = frozenset({"jr", "sr", "st", "mt", "ft", "gen", "lt", "col", "sgt", "capt", "adm", "gov",
                           "sen", "rep", "u.s", "h.w"})

# Unions of the lists above, made once: `A | B` in a test builds a new set of some 400 words each time.
_TITLES_AND_ABBREVIATIONS = TITLES | ABBREVIATIONS  # a stop after one of these does not end a name
_NOT_NAMES_AND_TITLES = NOT_NAMES | TITLES  # words that never open a canonical name

# The most words a person's name has ("Martin Luther King Jr.", "George H. W. Bush"): a longer run of
# capitalised words is a headline in title case ("Donald Trump Just Revealed Who He Would Pick").
MAX_NAME_WORDS = 4

PRONOUNS_MALE = frozenset({"he", "him", "his"})
PRONOUNS_FEMALE = frozenset({"she", "her", "hers"})
PRONOUNS_PLURAL = frozenset({"they", "them", "their", "we"})

# Honorifics and first names that tell a person's sex, for pronouns that point back. A short list of
# common given names: a name missing here leaves the person open to either pronoun.
MALE_HONORIFICS = frozenset({"mr", "sir", "lord", "king", "prince", "congressman", "councilman",
                             "spokesman", "chairman", "duke", "pope", "emperor", "businessman"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "lady", "queen", "princess",
                               "congresswoman", "councilwoman", "spokeswoman", "chairwoman", "duchess",
                               "empress", "businesswoman"})
FEMALE_NAMES = frozenset(
    """
    hillary chelsea melania ivanka michelle nancy elizabeth kellyanne sarah susan mary patricia jennifer
    linda barbara margaret lisa karen betty helen sandra donna carol ruth sharon laura emily kimberly
    deborah jessica amy anna rebecca virginia kathleen pamela martha debra amanda stephanie carolyn
    christine marie janet catherine frances ann joyce diane alice julie heather teresa doris gloria
    evelyn jean cheryl katherine joan judith rose janice kelly nicole judy christina kathy theresa
    beverly denise tammy irene jane lori rachel marilyn andrea kathryn louise sara anne jacqueline
    wanda bonnie julia ruby lois tina phyllis norma paula diana annie lillian emma robin peggy crystal
    gladys rita dawn connie florence tracy edna tiffany carmen rosa cindy grace wendy victoria edith
    kim sherry sylvia josephine thelma shannon sheila ethel ellen elaine marjorie carrie charlotte
    monica esther pauline emma juanita anita rhonda hazel amber eva debbie april leslie clara lucille
    jamie joanne eleanor valerie danielle megan alicia suzanne michele gail bertha darlene veronica jill
    erin geraldine lauren cathy joann lorraine lynn sally regina erica beatrice dolores bernice audrey
    yvonne annette june samantha dana stacy ana renee ida vivian roberta holly brittany melanie loretta
    yolanda jeanette laurie katie kristen vanessa alma sue elsie beth jeanne huma donna hope debbie
    jill maxine tulsi kirsten elizabeth condoleezza madeleine dianne kamala angela theresa marine
    """.split()
)
MALE_NAMES = frozenset(
    """
    donald bernie barack joe ted marco jeb ben john chris mike mitt paul rand bill bob james robert
    michael william david richard charles joseph thomas christopher daniel matthew anthony mark steven
    andrew kenneth joshua kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas
    eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank alexander raymond
    patrick jack dennis jerry tyler aaron jose adam henry nathan douglas zachary peter kyle walter
    ethan jeremy harold keith christian roger noah gerald carl terry sean austin arthur lawrence jesse
    dylan bryan jordan billy bruce albert willie gabriel logan alan juan wayne roy ralph randy eugene
    vincent russell elijah louis bobby philip johnny newt rick reince corey jim tim tom sam al harry
    lindsey mitch marty vladimir xi boris rudy rudolph reince sean stephen steve hugh masayoshi dick
    colin herman lyndon ronald gerald jimmy franklin abraham rahm rex jared eric jon jeff
    dan greg ken tony ron ed jerry rob matt pat doug josh nick andy alex fred ray phil barry gary
    """.split()
)

# A capitalised word of a name: "Altman", "McCain", "O’Rourke", "Jean-Luc", an initial "J." or "H.W.".
# One class after the capital, not an alternation: a pattern that opens with a class lets `re` skip to
# the next capital letter instead of trying each branch at every character of the text. (The branches
# `Mc[A-Z]\w*` and `[A-Z]\.` it once had never decided a match: the first branch matched wherever they
# could, and what follows a word in NAME_RUN is optional, so no failure ever backtracked into them.)
_NAME_TOKEN = r"[A-Z][\w’'.-]*"
_HEADLINE_VERB = re.compile(r"\b(?:" + "|".join(sorted(w.capitalize() for w in HEADLINE_VERBS)) + r")\b")
_NON_SPACE = re.compile(r"\S+")
_CONTRACTION = re.compile(r"['’](?:s|ve|ll|d|m|re)$")
# White space inside a name: at most one line break (a name never runs across a blank line into the next
# paragraph: "… Pick For VP" ¶ "Donald Trump spoke").
_GAP = r"(?:[^\S\n]+\n?|\n)[^\S\n]*"
# Lower-case words inside a name, one or two of them between its capitalised words ("Bill de Blasio",
# "Ursula von der Leyen", "Mohammed bin Salman").
NAME_PARTICLES = frozenset("de da del della des van von der den bin al la le di du dos ibn".split())
_PARTICLE = "(?:" + "|".join(sorted(NAME_PARTICLES)) + ")"
NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:{_GAP}(?:{_PARTICLE}{_GAP}){{0,2}}{_NAME_TOKEN})*")


def name_runs(text: str) -> list[tuple[int, str]]:
    """(offset, words) of every run of capitalised words, cut where a full stop ends a sentence (a stop
    after an initial or a title such as "Sen." does not) and at a verb of a title-case headline ("Glenn
    Beck Says Trump Is …")."""
    runs = []
    for m in NAME_RUN.finditer(text):
        run = m.group()
        if "." not in run and not _HEADLINE_VERB.search(run):
            runs.append((m.start(), run))
            continue
        start, pos = m.start(), m.start()
        for tok in _NON_SPACE.finditer(run):
            word = tok.group()
            if _HEADLINE_VERB.fullmatch(word.strip(".:,;!?’'\"")):
                if start != -1 and start < m.start() + tok.start():
                    runs.append((start, text[start:pos]))
                start = -1
                continue
            if word.endswith(".") and len(word) > 2 and word[:-1].lower() not in _TITLES_AND_ABBREVIATIONS:
                if start == -1:
                    start = m.start() + tok.start()
                runs.append((start, text[start : m.start() + tok.end() - 1]))
                start = -1
            elif start == -1:
                start = m.start() + tok.start()
            pos = m.start() + tok.end()
        if start != -1:
            runs.append((start, text[start:pos]))
    return runs


def uncontracted(low: str) -> str:
    """A lower-case word without its contracted verb: "he’s", "i’ve", "we'll", "they’d" -> the pronoun."""
    return _CONTRACTION.sub("", low) if "’" in low or "'" in low else low


@lru_cache(maxsize=65536)
def word_set(name: str) -> frozenset[str]:
    return frozenset(words_of(name))


@lru_cache(maxsize=65536)
def words_of(name: str) -> tuple[str, ...]:
    return tuple(w.strip(".’'").lower() for w in name.split())


def is_person_noun(word: str) -> bool:
    """Whether a lower-case noun names a person ("spokesperson", "aide", "strategist"), not a thing."""
    return word in TITLES or word in PERSON_NOUNS or word.endswith(AGENT_ENDINGS)


def is_title(word: str) -> bool:
    """A title word, alone or hyphenated with a qualifier ("Sen.", "President-elect", "ex-Mayor")."""
    low = word.strip(".’'").lower()
    return low in TITLES or ("-" in low and any(part in TITLES for part in low.split("-")))


@lru_cache(maxsize=65536)
def strip_titles(run: str) -> str:
    """The name without the titles and organisations before it and the letters after it: "OpenAI CEO
    Sam Altman" -> "Sam Altman", "His Honour Judge Neil Ford QC" -> "Neil Ford"; a royal or religious
    style stays with a single given name ("Prince Harry")."""
    parts = run.split()
    while len(parts) > 1 and parts[-1].strip(".,").lower() in POST_NOMINALS:
        parts = parts[:-1]
    last = parts[-1].strip(".’'").lower() if parts else ""
    if last in TITLES and (len(parts) == 1 or last not in SURNAME_TITLES):
        return ""  # "The OpenAI CEO", "Korean President": a description, not a name (but "Steve King")
    # cut at the last title word: everything before it describes the person ("SoftBank CEO", "Sen.")
    for i in range(len(parts) - 1, -1, -1):
        if is_title(parts[i]) and i < len(parts) - 1:
            rest = parts[i + 1 :]
            single = len(rest) == 1 or (len(rest) == 2 and _ROMAN.fullmatch(rest[1]) is not None)
            keep = single and parts[i].lower() in KEPT_STYLES and rest[0].lower() not in _NOT_NAMES_AND_TITLES
            parts = parts[i:] if keep else rest
            break
    lead = 0  # one cut at the end: slicing off a word at a time is quadratic in a long run of capitals
    while lead < len(parts) and parts[lead].strip(".’'").lower() in _NOT_NAMES_AND_TITLES and not (
        lead + 1 < len(parts) and parts[lead].lower() in KEPT_STYLES
    ):
        lead += 1
    parts = parts[lead:]
    # a possessive ends the name: "Altman's Seoul visit"
    for i, p in enumerate(parts):
        if p.endswith(("'s", "’s")):
            parts = parts[: i + 1]
            parts[-1] = parts[-1][:-2]
            break
        if p.endswith(("s'", "s’")):
            parts = parts[: i + 1]
            parts[-1] = parts[-1][:-1]
            break
    return " ".join(parts)


@lru_cache(maxsize=65536)
def is_organisation(name: str) -> bool:
    ws = words_of(name)
    return any(w in ORG_WORDS for w in ws) or (len(ws) == 1 and name.isupper() and len(name) > 1)


@lru_cache(maxsize=65536)
def gender_of(run: str) -> str | None:
    """'m', 'f' or None, from an honorific or title in the run or a common given name. The last word is
    the surname, never an honorific ("Gayle King", "Rep. Steve King")."""
    ws = words_of(run)[:-1]
    if any(w in MALE_HONORIFICS for w in ws):
        return "m"
    if any(w in FEMALE_HONORIFICS for w in ws):
        return "f"
    name = words_of(strip_titles(run))
    if name:
        if name[0] in FEMALE_NAMES:
            return "f"
        if name[0] in MALE_NAMES:
            return "m"
    return None


@dataclass
class Person:
    """One person (or organisation) of an article, known by its fullest name."""

    name: str
    gender: str | None = None
    titles: set[str] = field(default_factory=set)
    organisation: bool = False
    # a person for certain: named with a title or a known given name, or the subject of a cue; a run of
    # capitalised words that only looks like a name ("Gustav Lloyd Agerblad", but also "Los Angeles")
    # turns surnames into full names but is no one a pronoun can point back to until a pronoun near it
    # gives it a sex
    certain: bool = True


class People:
    """The people of one article, so that a surname or a title can be turned into the fullest name."""

    def __init__(self) -> None:
        self._by_word: dict[str, list[Person]] = {}
        self._by_name: dict[str, Person] = {}

    def introduce(self, run: str) -> Person | None:
        """Record a run of capitalised words if it can be a person's full name: a name after a title
        ("CEO Sam Altman", "Sen. Ted Cruz") or with a known given name ("Hillary Clinton") for certain,
        any other name of two to four words ("Hank Sheinkopf", "Bong Joon Ho") as a likely one."""
        if " " not in run and "\n" not in run:
            return None  # one word is no full name, and has no title before it
        certain = _introduces(run)
        return None if certain is None else self.add(run, certain=certain)

    def add(self, run: str, certain: bool = True) -> Person | None:
        """Record a name as written (with its titles) and return the person it names."""
        name = strip_titles(run)
        if not name or uncontracted(name.lower()) in NOT_NAMES or name.count(" ") >= MAX_NAME_WORDS:
            return None
        known = self.lookup(run)  # with its honorific: "Mr Anderson" is the man of that name
        person: Person | None
        words = name.split()
        # a known name that only adds words before this one ("Republican Donald Trump") is folded
        # into this one by `settle`, not the other way round
        if known is not None and len(words) <= len(known.name.split()) and (
            len(words) < 2 or known.name.split()[-len(words) :] != words
        ):
            person = known
        else:
            person = self._by_name.get(name.lower())
            if person is None:
                person = Person(name=name, organisation=is_organisation(name), certain=certain)
                self._by_name[name.lower()] = person
                for w in words_of(name):
                    if w and w not in NOT_NAMES:
                        self._by_word.setdefault(w, []).append(person)
        person.certain = person.certain or certain
        person.gender = person.gender or gender_of(run)
        person.titles |= _title_words(run)
        return person

    def settle(self) -> None:
        """Fold a name that only adds a word of description before a known full name into that name
        ("Republican Donald Trump", "Massachusetts Joshua Levy" -> "Joshua Levy"): called once every
        run of the article has been introduced, so the order they come in does not matter."""
        for key, person in list(self._by_name.items()):
            ws = person.name.split()
            if len(ws) < 3 or person.organisation or person.name.lower() != key:
                continue
            for k in range(1, len(ws) - 1):
                shorter = self._by_name.get(" ".join(ws[k:]).lower())
                if shorter is not None and shorter is not person:
                    self._fold(key, person, shorter)
                    break
        # a surname introduced alone with a title ("GOP Rep McCaul", in a headline) is the one person the
        # article names in full with it ("Rep. Michael McCaul"), not someone of one name
        for key, person in list(self._by_name.items()):
            if " " in key or person.organisation or person.name.lower() != key:
                continue
            fuller = [p for p in self._by_word.get(key, ()) if p is not person and words_of(p.name)[-1] == key]
            if len(fuller) == 1:
                self._fold(key, person, fuller[0])

    def _fold(self, key: str, person: Person, into: Person) -> None:
        """Make the name `key` of `person` a name of `into`, which takes what was known of the person."""
        into.certain = into.certain or person.certain
        into.gender = into.gender or person.gender
        into.titles |= person.titles
        self._by_name[key] = into
        for w in words_of(person.name):
            if person in self._by_word.get(w, ()):
                self._by_word[w].remove(person)

    def lookup(self, mention: str) -> Person | None:
        """The person a name refers to: the exact full name, or the fullest name sharing its last word
        (a surname) or, failing that, its first word (a given name, or a surname-first name such as
        "Chung Shin-a"). A surname that is also a title ("King", "Bishop") is a surname where the
        article names someone so."""
        name = strip_titles(mention)
        if not name:
            word = mention.strip(".’'")
            if " " in word or not word[:1].isupper() or word.lower() not in SURNAME_TITLES:
                return None
            name = word
        exact = self._by_name.get(name.lower())
        if exact is not None:
            return exact
        ws = words_of(name)
        wanted = word_set(name)
        sex = gender_of(mention) if name != mention else None  # "Mr Anderson": the man of that name
        for w, at in ((ws[-1], -1), (ws[0], 0)):
            candidates = [p for p in self._by_word.get(w, ()) if wanted <= word_set(p.name)]
            if not candidates:
                continue
            if sex is not None:  # of the same sex where the article says it, else of no known sex
                candidates = ([p for p in candidates if p.gender == sex]
                              or [p for p in candidates if p.gender is None] or candidates)
            # the word in the same place (a surname last: "Donald Trump", not "Trump Tower") first
            placed = [p for p in candidates if words_of(p.name)[at] == w]
            # the fullest name; between equals, the one the article introduced first: its protagonist
            # ("Cruz" is Ted Cruz in his story, though Heidi Cruz is named later)
            best = None
            for p in placed or candidates:
                if best is None or len(words_of(p.name)) > len(words_of(best.name)):
                    best = p
            return best
        return None


@lru_cache(maxsize=65536)
def _introduces(run: str) -> bool | None:
    """Whether a run introduces a person for certain (a title, a known given name: True), likely (a
    name of two to four words: False), or no one (None). Cached: the same names recur across articles."""
    name = strip_titles(run)
    if not name:
        return None
    words = run.split()
    titled = len(words) > len(name.split()) and any(is_title(w) for w in words)
    if titled or (len(name.split()) >= 2 and gender_of(name) is not None):
        return True
    if len(name.split()) >= 2 and _looks_like_a_name(name):
        return False
    return None


@lru_cache(maxsize=65536)
def _title_words(run: str) -> frozenset[str]:
    return frozenset(w.strip(".’'").lower() for w in run.split()) & TITLES


def _looks_like_a_name(name: str) -> bool:
    """Whether words can be a person's name: no organisation's word, no all-capital word of more than
    one letter ("NASA Chief"), no digit, no title-case headline word."""
    if is_organisation(name):
        return False
    for w in name.split():
        bare = w.strip(".’'")
        if (len(bare) > 1 and bare.isupper()) or any(c.isdigit() for c in bare) or bare.lower() in NOT_NAMES:
            return False
    return True
