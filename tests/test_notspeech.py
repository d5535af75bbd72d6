"""Quotations that are not speech (titles, names, terms, pull quotes) and the speech that looks like them."""

import pytest

import quotes


@pytest.mark.parametrize(
    "text, dropped",
    [
        # a noun phrase of the writer's
        ('Outside groups, including a powerful "super PAC", spent millions on the race.', "super PAC"),
        ('Pollsters blame a phenomenon called "differential nonresponse" for the miss.', "differential nonresponse"),
        ('Bolger bought a battery from a seller called "E-Life," the working name of a Hong Kong firm.', "E-Life"),
        ('Nixon deducted an icemaker under the rubric of "security" and paid it back.', "security"),
        # titles of any length after the book, film, series, nickname
        ('He read the book "How to Win Friends and Influence People in a Digital Age and Keep Them" twice.',
         "How to Win Friends and Influence People in a Digital Age and Keep Them"),
        ("She makes this clear in her stunning new documentary “13th.” The film opens in October.", "13th."),
        ('He hosts the Netflix show "My Next Guest Needs No Introduction With David Letterman" now.',
         "My Next Guest Needs No Introduction With David Letterman"),
        ('Peters earned the Swahili nickname "mkono wa damu," or "the man with the bloody hand," for it.',
         "mkono wa damu"),
        ('Peters earned the Swahili nickname "mkono wa damu," or "the man with the bloody hand," for it.',
         "the man with the bloody hand"),
        ("Howard had roles in “How the Grinch Stole Christmas,” “Apollo 13,” and “Austin Powers.”", "Apollo 13"),
        ('To top it off, "Chi-Raq," a movie about Chicago violence directed by Spike Lee, opens.', "Chi-Raq"),
        ('Weiner wrote under the pseudonym "Carlos Danger," but it did not help him.', "Carlos Danger"),
        ('A German news organization called "The Local" cited the poll.', "The Local"),
        ('We finally have a trailer for season four of "Sherlock." It looks good.', "Sherlock."),
        ('He wrote the author of "The Art of the Deal" a letter.', "The Art of the Deal"),
        ('The band played Latin hits including "La Gozadera" and "Madre Tierra (Oye)."', "Madre Tierra (Oye)."),
        ('"Non-paper" is a diplomatic term for a discussion document.', "Non-paper"),
        ('"Containment" has been U.S. policy against major foes.', "Containment"),
        # the title of a piece of writing after its noun (#8)
        ('Ouisa Davis\' commentary, "Melania, tell your immigrant story," is very thoughtful.',
         "Melania, tell your immigrant story"),
        ('The paper ran an editorial, "Time to Go," on Sunday.', "Time to Go"),
        # a one-word or short quotation used as a modifier, a title after told/on
        ('"Orange is the New Black" star Dascha Polanco opened up about it.', "Orange is the New Black"),
        ('"Parasite" director Bong Joon Ho accepted the award on Sunday night.', "Parasite"),
        ('At 6:36 p.m., the grid operator ordered its "Stage 3" action, where utilities cut power.', "Stage 3"),
        ('Harry told "CBS This Morning" co-host Gayle King that he was happy.', "CBS This Morning"),
        # a pull quote repeating a quotation of the body
        ('"We will rebuild the harbour," Mayor Jane Roe said on Monday.\n\n"We will rebuild the harbour."\n\n'
         "The work starts in March.", "We will rebuild the harbour."),
    ],
)
def test_not_speech(text, dropped):
    assert dropped.rstrip(",") not in [q.text for q in quotes.extract(text)]


@pytest.mark.parametrize(
    "text, said, speaker",
    [
        # a short exclamation after a cue stays speech
        ('Asked about the crash, Tom Smith blurted out, "Oh, God," and walked away.', "Oh, God", "Tom Smith"),
        # a characterising verb or a cue in the sentence makes a fragment the speaker's words
        ('Hillary Clinton called half of Trump\'s supporters "deplorables."', "deplorables.", "Hillary Clinton"),
        ('Donald Trump called the series "a total disaster" on Monday.', "a total disaster", "Donald Trump"),
        ('Carly Fiorina said the plan was a "very good" deal for workers.', "very good", "Carly Fiorina"),
        # a colon after the noun leads into speech; the noun as a cue's subject is no title's
        ('The editorial was blunt: "The mayor must resign."', "The mayor must resign.", "the editorial"),
        ('In the article, Jane Roe said "the mayor must resign."', "the mayor must resign.", "Jane Roe"),
        ('Donald Trump cited "Obama-Clinton" policies, which he blamed for the loss.', "Obama-Clinton",
         "Donald Trump"),
        ('Peter Westmacott said Obama shows "great charm" and patience.', "great charm", "Peter Westmacott"),
        ('Sen. Tim Kaine said the latest polls show "a tight race in every state we need."',
         "a tight race in every state we need.", "Tim Kaine"),
        ('Jessica Ditto said she expects the campaign "to continue calling out bias."',
         "to continue calling out bias.", "Jessica Ditto"),
        ('"That," Barack Obama added, "promises more."', "That", "Barack Obama"),
        ('"We won 3 games," Tom Smith said.', "We won 3 games", "Tom Smith"),
        ('"It was a disaster," Tom Smith, a film critic, said.', "It was a disaster", "Tom Smith"),
        ('Donald Trump called it "terrible" and "a disgrace."', "a disgrace.", "Donald Trump"),
        ('"Never," Tom Smith said, "is a long time."', "Never", "Tom Smith"),
        # a paragraph of one quotation that repeats nothing is speech
        ('Mayor Jane Roe spoke on Monday.\n\n"We will rebuild the harbour."', "We will rebuild the harbour.",
         "Jane Roe"),
    ],
)
def test_speech_that_looks_like_a_term(text, said, speaker):
    found = {q.text: q.speaker for q in quotes.extract(text)}
    assert found.get(said) == speaker
