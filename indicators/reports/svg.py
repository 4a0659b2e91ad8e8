"""Charts for the PDF as inline SVG drawn on the server: WeasyPrint runs no JavaScript. Horizontal
bars (one per label) with an optional target line; every chart in the report also has its table."""

from html import escape

from django.utils.safestring import mark_safe

from .formatting import nl_number

BAR_COLOUR = "#24578f"
TARGET_COLOUR = "#a3000c"


def bar_chart(title: str, labels: list[str], values: list, texts: list[str] | None = None,
              target: float | None = None, width: int = 480, unit: str = "") -> str:  # fmt: skip
    """An SVG of horizontal bars. `values` may hold None (no or a suppressed value: no bar, the
    text says why); `texts` are the printed values (default: the numbers in Dutch notation)."""
    numbers = [float(v) if v is not None else None for v in values]
    texts = texts or [nl_number(v, 1) if v is not None else "" for v in values]
    longest = max((len(str(label)) for label in labels), default=0)
    # Room for the longest label (about 5 px per character at 9 px), the bars keep 250 px.
    label_width = min(max(int(longest * 5.2) + 10, 60), 320)
    text_width, row, top = 70, 16, 6
    width = max(width, label_width + text_width + 250)
    plot = width - label_width - text_width
    known = [n for n in numbers if n is not None]
    if target is not None:
        known.append(float(target))
    top_value = max(known) if known and max(known) > 0 else 1.0
    height = top + row * len(labels) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="9">'
    ]
    for index, (label, number, text) in enumerate(zip(labels, numbers, texts, strict=True)):
        y = top + index * row
        parts.append(f'<text x="{label_width - 6}" y="{y + 11}" text-anchor="end">'
                     f"{escape(str(label))}</text>")  # fmt: skip
        if number is not None and number > 0:
            bar = max(plot * number / top_value, 1)
            parts.append(f'<rect x="{label_width}" y="{y + 2}" width="{bar:.1f}" height="{row - 5}" '
                         f'fill="{BAR_COLOUR}"/>')  # fmt: skip
            end = label_width + bar
        else:
            end = label_width
        # A hidden figure (`<5`, `—`) stands without its unit: "— %" reads as a broken number.
        with_unit = f"{text} {unit}".strip() if number is not None else text
        shown = with_unit if text else "geen waarde"
        parts.append(f'<text x="{end + 4:.1f}" y="{y + 11}">{escape(shown)}</text>')
    if target is not None:
        x = label_width + plot * float(target) / top_value
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 2}" '
                     f'stroke="{TARGET_COLOUR}" stroke-width="1.5" stroke-dasharray="4 2"/>')  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
