"""Markup for the web page, built from escaped pieces: matched words, a quotation in its paragraph, a diff,
the timeline chart. Every string that comes from an article goes through `escape` here."""

from __future__ import annotations

from markupsafe import Markup, escape

from quotes.claims import Change
from quotes.timeline import Timeline

# The timeline chart's size in SVG units (it scales with the page) and the most labels under its bars.
CHART_WIDTH, CHART_HEIGHT, CHART_LABELS = 640, 160, 8


def highlighted(snippet: str) -> Markup:
    """A search snippet with each «matched» word in <mark>."""
    parts = snippet.replace("»", "«").split("«")
    return Markup("").join(Markup("<mark>{}</mark>").format(p) if i % 2 else escape(p) for i, p in enumerate(parts))


def paragraph(text: str, quote: tuple[int, int], mention: tuple[int, int] | None) -> Markup:
    """The paragraph with the quotation in <mark> and the mention it is attributed to underlined."""
    spans = [(quote[0], quote[1], "quote")]
    if mention and 0 <= mention[0] < mention[1] <= len(text) and (mention[1] <= quote[0] or mention[0] >= quote[1]):
        spans.append((mention[0], mention[1], "mention"))
    out, at = [], 0
    for start, end, kind in sorted(spans):
        out.append(escape(text[at:start]))
        tag = "mark" if kind == "quote" else "u"
        out.append(Markup(f'<{tag} class="{kind}">{{}}</{tag}>').format(text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def diff(changes: tuple[Change, ...]) -> Markup:
    """A word diff: the claim's words only in <del>, the quotation's only in <ins>."""
    out = []
    for c in changes:
        if c.op == "equal":
            out.append(escape(c.claim))
            continue
        if c.claim:
            out.append(Markup('<del title="only in the claim">{}</del>').format(c.claim))
        if c.quote:
            out.append(Markup('<ins title="only in the quotation">{}</ins>').format(c.quote))
    return Markup(" ").join(out)


def chart(timeline: Timeline) -> Markup:
    """The timeline as an SVG bar chart: a bar per period, a few period labels, each bar's count as its title."""
    buckets = timeline.buckets
    if not buckets:
        return Markup("")
    most = max(b.count for b in buckets) or 1
    width = CHART_WIDTH / len(buckets)
    step = max(1, -(-len(buckets) // CHART_LABELS))
    bars, labels = [], []
    for i, b in enumerate(buckets):
        height = (CHART_HEIGHT - 34) * b.count / most  # 14 units above the tallest for the scale
        bars.append(Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {}</title></rect>')
                    .format(i * width + 1, CHART_HEIGHT - 20 - height, max(width - 2, 1), height, b.period, b.count))
        if i % step == 0:
            labels.append(Markup('<text x="{:.1f}" y="{}">{}</text>').format(i * width + 1, CHART_HEIGHT - 5, b.period))
    scale = Markup('<text class="scale" x="{}" y="10" text-anchor="end">{} at most</text>').format(
        CHART_WIDTH - 2, most)
    svg = Markup('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="quotations per {}">{}{}{}</svg>')
    return svg.format(CHART_WIDTH, CHART_HEIGHT, timeline.by, Markup("").join(bars), Markup("").join(labels), scale)
