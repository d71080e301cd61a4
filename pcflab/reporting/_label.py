"""A product's carbon-footprint class label as SVG (standalone, no external resources)."""

from xml.sax.saxutils import escape

from pcflab.core import format_probability, format_unit

__all__ = ["class_label_svg"]

_WIDTH = 480
_COLOURS = ("#1a9850", "#66bd63", "#a6d96a", "#fee08b", "#fdae61", "#f46d43", "#d73027", "#a50026")


def _wrap(text, width):
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _num(x):
    return f"{x:.3g}" if abs(x) < 100 else f"{x:,.0f}".replace(",", " ")


def _class_colours(probabilities):
    """Colour of each class: green to dark red in scheme order (green / red for two classes)."""
    if len(probabilities) <= 2:
        return dict(zip(probabilities, ("#1a9850", "#d73027"), strict=False))
    return {lab: _COLOURS[min(i, len(_COLOURS) - 1)] for i, lab in enumerate(probabilities)}


class _Canvas:
    """The SVG elements of a label, in drawing order."""

    def __init__(self):
        self.rows = []

    def text(self, x, y, s, size=13, weight="normal", anchor="start", fill="#222"):
        self.rows.append(
            f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" text-anchor="{anchor}" '
            f'fill="{fill}">{escape(str(s))}</text>'
        )

    def rect(self, attrs):
        self.rows.append(f"<rect {attrs}/>")


def _value_column(r):
    """List the right-hand column: (text, font size [px], weight, line height [px]) per line.

    Long texts wrap at about 320 px (the characters per line below are for Helvetica at
    each size).
    """
    pct = round(100 * r.interval_level)
    units = format_unit(r.units)
    column = [(f"{_num(r.value)} {units}", 18, "bold", 20)]
    column.append((f"{pct} % interval: {_num(r.interval[0])} – {_num(r.interval[1])} {units}", 12, "normal", 20))
    if r.robust:
        sentence = f"class {r.most_likely_class} with {format_probability(r.probability)} probability"
    else:
        sentence = f"not robust: {r.most_likely_class} with {format_probability(r.probability)} probability"
    column += [(line, 13, "bold", 16) for line in _wrap(sentence, 40)]
    if not r.robust:
        column.append((f"(no class reaches {format_probability(r.robust_level)})", 11, "normal", 16))
    details = f"deterministic class: {r.deterministic_class} · DQR {r.dqr_text}"
    column += [(line, 12, "normal", 16) for line in _wrap(details, 48)]
    return column


def _class_box(canvas, r, colour, box_y):
    """Draw the class box and the value column from ``box_y``; return the box height [px]."""
    column = _value_column(r)
    used = sum(step for *_, step in column)
    box_h = max(96, used + 8)
    canvas.rect(
        f'x="16" y="{box_y}" width="120" height="{box_h}" rx="8" fill="{colour[r.most_likely_class]}" stroke="#333"'
    )
    big = r.most_likely_class
    canvas.text(76, box_y + box_h / 2 - 8, "class", 12, anchor="middle", fill="#111")
    big_size = 30 if len(big) <= 3 else 16 if len(big) <= 9 else 11
    for i, line in enumerate(_wrap(big, 14)[:2]):
        canvas.text(76, box_y + box_h / 2 + 22 + i * (big_size + 2), line, big_size, "bold", "middle", "#111")
    x2, yy = 150, box_y
    for line, size, weight, step in column:
        yy += step
        canvas.text(x2, yy - 2, line, size, weight)
    return box_h


def _probability_bars(canvas, r, colour, y):
    """Draw the heading and a bar per class from ``y``; return the last bar's baseline [px]."""
    canvas.text(16, y, f"Probability of each class ({r.n_samples:,} Monte Carlo samples)".replace(",", " "), 12, "bold")
    y += 8
    bar_w = _WIDTH - 16 - 170 - 60
    for lab, p in r.probabilities.items():
        y += 18
        canvas.text(16, y, lab, 12)
        canvas.rect(f'x="170" y="{y - 11}" width="{bar_w}" height="13" fill="#eee" stroke="#bbb"')
        if p > 0:
            canvas.rect(f'x="170" y="{y - 11}" width="{max(bar_w * p, 1):.1f}" height="13" fill="{colour[lab]}"')
        canvas.text(170 + bar_w + 8, y, format_probability(p) if p > 0 else "0 %", 12)
    return y


def _scheme_footer(canvas, r, y):
    """Draw the scheme's name, version, status and source and the id line; return the height [px]."""
    status = r.scheme_status.replace("_", " ")
    for line in _wrap(f"Scheme: {r.scheme_name}, {r.scheme_version} ({status}; source [{r.scheme_source_tag}])", 70):
        canvas.text(16, y, line, 11, fill="#444")
        y += 15
    canvas.text(16, y, f"id {r.scheme_id} · pcflab grade, seed {r.seed}", 10, fill="#777")
    return y + 14


def _status_banner(canvas, status):
    """Mark a scheme that is not in force (draft, withdrawn) at the top right, in red capitals."""
    if status == "in_force":
        return
    canvas.rect(
        f'x="{_WIDTH - 156}" y="15" width="140" height="26" rx="4" fill="#fdecea" stroke="#c0392b" stroke-width="2"'
    )
    words = f"{status.replace('_', ' ').upper()} SCHEME"
    canvas.text(_WIDTH - 86, 33, words, 13, "bold", "middle", "#c0392b")


def _svg_document(canvas, height, title):
    body = "\n  ".join(canvas.rows)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" font-family="Helvetica, Arial, sans-serif" role="img">\n'
        f"  <title>{escape(title)}</title>\n"
        f'  <rect x="1" y="1" width="{_WIDTH - 2}" height="{height - 2}" rx="10" fill="#fff" stroke="#333"/>\n'
        f"  {body}\n"
        "</svg>\n"
    )


def class_label_svg(grade_result, product_name=None):
    """Render a grade as an SVG class label.

    Parameters
    ----------
    grade_result : GradeResult
        From ``pcflab.grade``.
    product_name : str, optional
        Name shown on the label (the model's name by default).

    Returns
    -------
    str
        SVG text (UTF-8, well-formed XML): product, footprint value and unit, the
        interval, the class with its probability (or "not robust"), the deterministic
        class, the DQR and the scheme's name, version and status; a bar per class shows
        its probability. A scheme not in force (draft, withdrawn) is marked at the top
        right in red (``DRAFT SCHEME``) and in the title.
    """
    r = grade_result
    name = product_name or r.model_name
    colour = _class_colours(r.probabilities)
    canvas = _Canvas()
    y = 34
    canvas.text(16, y, "Product carbon footprint class", 16, "bold")
    _status_banner(canvas, r.scheme_status)
    y += 22
    for line in _wrap(name, 62)[:3]:
        canvas.text(16, y, line, 13)
        y += 17
    box_y = y + 6
    box_h = _class_box(canvas, r, colour, box_y)
    y = _probability_bars(canvas, r, colour, box_y + box_h + 22)
    height = _scheme_footer(canvas, r, y + 26)
    status = "" if r.scheme_status == "in_force" else f" ({r.scheme_status.replace('_', ' ')} scheme)"
    return _svg_document(canvas, height, f"{name}: {r.sentence}{status}")
