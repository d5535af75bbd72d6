"""Finding quotations: text -> the quoted words, their kind; negatives included."""

import pytest

from quotes.quotations import find_quotations
from quotes.sentences import split_sentences


def quotations(text):
    return find_quotations(text, split_sentences(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"We ship it," Altman said.', [("We ship it", "direct")]),
        ("“We ship it,” Altman said.", [("We ship it", "direct")]),
        ('He said: "It works. It is cheap."', [("It works. It is cheap.", "direct")]),
        ('"A," he said, "B."', [("A", "direct"), ("B.", "direct")]),
        (
            "He added that OpenAI brought the cost down by “about a factor of 10” last year.",
            [("about a factor of 10", "partial")],
        ),
        ("“She told me ‘never again’ and left,” he said.", [("She told me ‘never again’ and left", "direct")]),
        # mistyped direction of curly marks: read from the neighbours
        ("the agency ran an “expedited review“ of the pipes", [("expedited review", "partial")]),
        ("advisers would not let aides ”get close to Ben” on policy", [("get close to Ben", "partial")]),
        # a closing mark with nothing open (its opening mark was lost) is skipped, not opened
        ("as a country,” added Rep. Jim Clyburn. “One thing.”", [("One thing.", "direct")]),
        # a quotation over two paragraphs reopens the second and closes only at its end
        ('"First part of it.\n\n"Second part," he said.', [("First part of it.", "direct"), ("Second part", "direct")]),
        # negatives: no marks, apostrophes only, empty marks
        ("Nobody said anything at all.", []),
        ("It's Trump's ’90s plan, isn't it?", []),
        ('An empty "" pair.', []),
    ],
)
def test_quotations(text, expected):
    found = quotations(text)
    assert [(q.text, q.kind) for q in found] == expected
    for q in found:
        assert text[q.start : q.end] == q.text


def test_unbalanced_mark_stays_in_its_paragraph():
    text = 'He said "this never closes.\n\nA second paragraph. A third "quoted" word.\n\nThe end.'
    found = quotations(text)
    assert found[0].text == "this never closes."
    assert "second paragraph" not in found[0].text
    assert [q.text for q in found][1:] == ["quoted"]


def test_paragraph_index():
    text = 'Intro.\n\n"One," she said.\n\n\n"Two," she said.'
    assert [q.paragraph for q in quotations(text)] == [1, 2]


# Single marks: speech where a page prints its speech in them, or in a headline, deck or pull quote;
# apostrophes (possessives, contractions, elisions, decades) never open or close a quotation.
@pytest.mark.parametrize(
    "text, expected",
    [
        # a British page: speech in single marks, apostrophes inside it
        ("‘We will win,’ he said. ‘The players’ union is strong.’\n\nShe said: ‘It’s rock 'n' roll from the ’90s.’",
         ["We will win", "The players’ union is strong.", "It’s rock 'n' roll from the ’90s."]),
        ("'Give 'em hell,' said Jones. 'We'll see about the bosses' men.'",
         ["Give 'em hell", "We'll see about the bosses' men."]),
        ("‘It was Jesus’ word,’ the bishop said.", ["It was Jesus’ word"]),
        # a single-mark page keeps its double marks as nested quotations
        ("‘He told me “never again”,’ she said. ‘I agreed.’", ["He told me “never again”", "I agreed."]),
        # a quotation over two paragraphs, in single marks, opening at the paragraph's start or after a cue
        ("‘First part of it.\n\n‘Second part,’ he said. ‘Third.’", ["First part of it.", "Second part", "Third."]),
        ("Smith told the court: ‘I was at home.\n\n‘I never left,’ he said.", ["I was at home.", "I never left"]),
        ("Smith told the court: ‘I was at home.\n\nThe trial goes on. ‘We won,’ he said.", ["We won"]),
        # a page of double marks: a headline and a pull quote in single marks are quotations ...
        ("Schools ‘safe’ amidst surge\n\n“We won,” he said.", ["safe", "We won"]),
        ("‘It is impossible to overstate this ruling.’\n\n“We won,” he said.",
         ["It is impossible to overstate this ruling.", "We won"]),
        # ... and a US page's headline, nicknames and nested quotations in single marks leave it one of double
        ("Trump calls 'Squad' 'a disgrace'\n\n\"They're a disgrace,\" Trump said. \"He told me, 'Don't,' but I did.\""
         "\n\nOmar, of the so-called 'Squad,' said it was \"racist.\"\n\nPhoto: The 'Squad' at the Capitol.",
         ["Squad", "a disgrace", "They're a disgrace", "He told me, 'Don't,' but I did.", "racist."]),
        # ... so is a paragraph of speech in single marks, credited with its comma inside the marks
        ("“We won,” he said.\n\n‘We will be back,’ said Jones, 31.", ["We won", "We will be back"]),
        # ... its single marks in the body are names and nested quotations, not speech
        ("“We won,” he said.\n\nThe film ‘Pride’, which won prizes, is about the strike of the miners.", ["We won"]),
        ("A group called 'We support Anders Tegnell & co' has 85,000 members.\n\n\"We won,\" he said.", ["We won"]),
        ("“She said ‘no’ twice,” he said.", ["She said ‘no’ twice"]),
        # two apostrophes are an archive's double mark, never two single ones
        ("She said ''I had to think, 'This is their lives.'.'' and left the room that day for good.", []),
        # negatives: apostrophes only
        ("The players' union met in the '90s; it's rock 'n' roll, O'Brien's 'til dawn.", []),
        ("Give 'em the workers' pay, said the boss's son.", []),
    ],
)
def test_single_marks(text, expected):
    found = quotations(text)
    assert [q.text for q in found] == expected
    for q in found:
        assert text[q.start : q.end] == q.text
