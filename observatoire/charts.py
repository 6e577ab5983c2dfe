"""Server-side SVG charts: geometry computed here, drawn by templates/observatoire/includes/chart.html.

No JavaScript, no image file; every chart is paired with its data table for screen readers. A masked value
(« < 5 ») is drawn as an empty bar with its label: the bar length never discloses it.
"""

COLOURS = ("#1d4e89", "#b35900", "#146c43", "#6f42c1")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 40, 36, 12


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def column_chart(title: str, categories: list[str], series: list[tuple[str, list]]) -> dict:
    """Grouped columns: one group per category (e.g. month), one column per series."""
    highest = max((_number(v) for _label, values in series for v in values), default=0) or 1
    plot_width = WIDTH - LEFT - 8
    plot_height = HEIGHT - BOTTOM - TOP
    group_width = plot_width / max(len(categories), 1)
    bar_width = max(2.0, (group_width - 4) / max(len(series), 1))
    bars, labels = [], []
    for index, category in enumerate(categories):
        x0 = LEFT + index * group_width + 2
        for position, (_label, values) in enumerate(series):
            value = values[index]
            height = round(plot_height * _number(value) / highest, 1)
            bars.append(
                {
                    "x": round(x0 + position * bar_width, 1),
                    "y": round(TOP + plot_height - height, 1),
                    "width": round(bar_width - 1, 1),
                    "height": height,
                    "colour": COLOURS[position % len(COLOURS)],
                    "title": f"{category} — {series[position][0]} : {value}",
                }
            )
        step = max(1, len(categories) // 12)
        if index % step == 0:
            labels.append({"x": round(x0 + group_width / 2, 1), "text": category})
    return {
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "labels": labels,
        "label_y": HEIGHT - BOTTOM + 16,
        "axis_y": TOP + plot_height,
        "left": LEFT,
        "top_value": highest if highest != 1 or any(_number(v) for _l, vs in series for v in vs) else 0,
        "legend": [{"label": label, "colour": COLOURS[i % len(COLOURS)]} for i, (label, _v) in enumerate(series)],
    }


def bar_chart(title: str, items: list[tuple[str, object]]) -> dict:
    """Horizontal bars, one per item; masked values get no bar."""
    label_width, row_height, value_width = 230, 22, 60
    highest = max((_number(value) for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        length = round((WIDTH - label_width - value_width) * _number(value) / highest)
        bars.append(
            {
                "label": str(label)[:40],
                "value": value,
                "y": index * row_height,
                "text_y": index * row_height + 15,
                "width": length,
                "value_x": label_width + length + 6,
                "colour": COLOURS[0],
            }
        )
    return {
        "title": title,
        "horizontal": True,
        "bars": bars,
        "width": WIDTH,
        "height": len(items) * row_height + 4,
        "label_width": label_width,
        "label_x": label_width - 6,
    }
