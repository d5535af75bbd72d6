"""Properties of `quotes.extract` on arbitrary text: it never raises, and every offset round-trips."""

from hypothesis import given, settings
from hypothesis import strategies as st

import quotes

# Text made mostly of what news copy is made of (words, marks of every kind, paragraph breaks), so
# that the quotation and attribution rules are exercised, plus any other character now and then.
PIECES = st.sampled_from(['"', "“", "”", "‘", "’", "'", ",", ".", ":", "—", "?", "\n\n", "\n", " ", "said",
                          "he", "She", "Altman", "Sam Altman", "the CEO", "told reporters", "(", ")",
                          "according to", "WALLACE:", "<tweet id=\"1\">", "Mr.", "U.S."])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_extract_never_raises_and_offsets_round_trip(text):
    for q in quotes.extract(text):
        assert text[q.start : q.end] == q.text
        assert q.text.strip()
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_mention
        assert q.kind in ("direct", "partial")
        assert 0.0 <= q.confidence <= 1.0
