"""Large tables rendered in Python, not by a template loop per cell: at the bench size a page holds a select of
thousands of structures and tables of hundreds of rows, and the template engine took about a second for them
(docs/benchmarks.md). Output as the templates gave it: values localised (`localize`, as `{{ value }}` does),
None shown as « — », everything escaped."""

from html import escape

from django.utils.formats import localize
from django.utils.safestring import SafeData, SafeString, mark_safe


def conditional_escape(value) -> str:
    """Django's conditional_escape without its per-call overhead (same output: html.escape)."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))


def text(value, empty: str = "—") -> str:
    """A cell as `{{ value|default_if_none:"—" }}` renders it: localised and escaped."""
    if value is None:
        return empty
    return conditional_escape(localize(value))


def tbody_rows(rows) -> SafeString:
    """`<tr><th scope="row">first</th><td>…</td></tr>` for each row."""
    out = []
    for first, *rest in rows:
        out.append(f'<tr><th scope="row">{text(first)}</th>' + "".join(f"<td>{text(c)}</td>" for c in rest) + "</tr>")
    return mark_safe("".join(out))


def options(choices, current) -> SafeString:
    """`<option>`s of a select, the one whose value equals `current` (compared as strings) selected."""
    current = str(current)
    out = []
    for value, label in choices:
        selected = " selected" if str(value) == current else ""
        out.append(f'<option value="{conditional_escape(value)}"{selected}>{conditional_escape(label)}</option>')
    return mark_safe("".join(out))


def matrix_rows(rows, querystring: str, drill_down_url: str, link_label: str) -> SafeString:
    """The heat map's rows (views.partnership_matrix): `drill_down_url` has 0 and 0 in place of the two
    structure ids (reversed once, not per row)."""
    base, tail = drill_down_url.rsplit("/0/0/", 1)
    query = escape(querystring)
    out = []
    for row in rows:
        cells, pair = row["cells"], row["pair"]
        reasons = "".join(f"{text(label)} : {text(n)}<br>" for label, n in row["reasons"]) or "—"
        href = f"{base}/{int(pair['from'])}/{int(pair['to'])}/{tail}?{query}"
        out.append(
            "<tr>"
            f'<th scope="row">{text(cells[0])}</th><td>{text(cells[1])}</td>'
            f"<td>{text(cells[2])}</td><td>{text(cells[3])}</td><td>{text(cells[4])}</td><td>{text(cells[5])}</td>"
            f'<td class="{row["heat"]}">{text(cells[6])}</td>'
            f"<td>{text(cells[7])}</td><td>{text(cells[8])}</td><td>{text(cells[9])}</td>"
            f'<td class="small">{reasons}</td>'
            f'<td><a href="{href}">{escape(str(link_label))}<span class="visually-hidden"> {text(cells[0])} → '
            f"{text(cells[1])}</span></a></td>"
            "</tr>"
        )
    return mark_safe("".join(out))


def pair_rows(rows, columns, yes: str, no: str) -> SafeString:
    """Rows of the « qui connaît qui » tables: the first column a row header, booleans as oui / non."""
    out = []
    for row in rows:
        values = [(yes if row[c] else no) if isinstance(row[c], bool) else row[c] for c in columns]
        out.append(
            f'<tr><th scope="row">{text(values[0], "")}</th>'
            + "".join(f"<td>{text(v, '')}</td>" for v in values[1:])
            + "</tr>"
        )
    return mark_safe("".join(out))
