"""Make the Punkt tables in quotes/punkt/ from the PolNeAR training articles plus news abbreviations.

Run from the project root:  python tests/tools/train_punkt.py [--corpus ../shared/polnear/train.jsonl]

The corpus stays outside the repository; only the tables it yields are committed. Without the corpus the
script says so and exits 0 (the committed tables stay as they are). Issue #2.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path

from nltk.tokenize.punkt import PunktTrainer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quotes.sentences import NewsLanguageVars, NewsToken, save_parameters  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "polnear" / "train.jsonl"

# Abbreviations of US news style (AP): titles, companies, months, states, times. Punkt stores them
# lower-cased without the final period; a period after one splits a sentence only when the next word
# looks like a sentence start (capitalised, and seen in lower case but never capitalised mid-sentence).
NEWS_ABBREVIATIONS = """
Mr. Mrs. Ms. Dr. Gov. Sen. Sens. Rep. Reps. Gen. Lt. Col. Maj. Sgt. Capt. Cmdr. Adm. Pres. Prof. Rev. Hon. Rt.
Atty. Supt. Det. Insp. Fr. Msgr. St. Ste. Mt. Ft. Jr. Sr. Inc. Corp. Co. Cos. Ltd. Bros. Assn. Dept. Univ.
Ave. Blvd. Rd. Hwy. U.S. U.K. U.N. E.U. D.C. L.A. Jan. Feb. Mar. Apr. Aug. Sept. Sep. Oct. Nov. Dec.
Mon. Tue. Tues. Wed. Thu. Thur. Thurs. Fri. Sat. Sun. a.m. p.m. No. Nos. vs. v. etc. e.g. i.e. approx. est.
Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. Mich. Minn. Miss.
Mo. Mont. Neb. Nev. N.C. N.D. N.H. N.J. N.M. N.Y. Okla. Ore. Pa. R.I. S.C. S.D. Tenn. Tex. Va. Vt. Wash.
Wis. W.Va. Wyo.
""".split()

# Single letters are initials ("George W. Bush", "J. K. Rowling"); Punkt also has its own initials rule.
ABBREVIATION_SHAPE = re.compile(r"[^\W\d_][\w.&-]*")

INITIALS = [chr(c) for c in range(ord("a"), ord("z") + 1)]


def read_texts(corpus: Path) -> list[str]:
    with corpus.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def case_counts(texts: list[str], lang_vars: NewsLanguageVars) -> tuple[Counter[str], Counter[str]]:
    """How often each word (lower-cased) is written in lower case and capitalised, anywhere."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        for word in lang_vars.word_tokenize(text):
            if word[0].islower():
                lower[word.lower()] += 1
            elif word[0].isupper():
                upper[word.lower()] += 1
    return lower, upper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="a JSON-lines file with `text`")
    parser.add_argument("--out", type=Path, default=ROOT / "quotes" / "punkt", help="where to write tables")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.corpus.is_file():
        logging.info("no corpus at %s: nothing trained, the committed tables stay as they are", args.corpus)
        return 0

    texts = read_texts(args.corpus)
    lang_vars = NewsLanguageVars()
    # Default collocations: only after initials and numbers ("J. Edgar"). After an abbreviation a number
    # never splits anyway ("Sept. 11"), and abbreviation collocations fitted to 840 articles overfit.
    trainer = PunktTrainer(lang_vars=lang_vars, token_cls=NewsToken)
    for text in texts:
        # Paragraph by paragraph, as quotes.sentences splits: a paragraph's first word is a sentence start.
        trainer.train("\n\n".join(p for p in text.split("\n\n") if p.strip()), finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    # Drop learned "abbreviations" that are punctuation debris ("__", "'mr", "to…"): letters, dots,
    # hyphens and "&" only.
    learned = {a for a in params.abbrev_types if ABBREVIATION_SHAPE.fullmatch(a)}
    # A capitalised sentence starter after an abbreviation forces a split ("Corp. The company"). Punkt
    # learns names too ("Trump", "Clinton": they open many sentences), which would split "Mr. Trump";
    # keep only words written in lower case more often than capitalised, i.e. not proper names.
    lower, upper = case_counts(texts, lang_vars)
    params.sent_starters = {w for w in params.sent_starters if lower.get(w, 0) > upper.get(w, 0)}
    params.abbrev_types = learned | {a.lower().rstrip(".") for a in NEWS_ABBREVIATIONS} | set(INITIALS)
    save_parameters(params, args.out)
    logging.info(
        "%d articles: %d abbreviations (%d learned), %d collocations, %d sentence starters, %d words -> %s",
        len(texts),
        len(params.abbrev_types),
        len(learned),
        len(params.collocations),
        len(params.sent_starters),
        len(params.ortho_context),
        args.out,
    )
    logging.info("learned abbreviations: %s", " ".join(sorted(learned)))
    logging.info("sentence starters: %s", " ".join(sorted(params.sent_starters)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
