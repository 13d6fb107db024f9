"""Small server-side SVG charts: no JavaScript, readable without colour (values are written
on the bars), and cheap enough to draw on every page view. They only place the numbers the
engine gives; they compute none."""

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

STATUS_FILL = {"exceeded": "#2da44e", "met": "#2da44e", "near": "#bf8700",
               "not_met": "#cf222e", "no_data": "#8c959f", None: "#0b5cad"}
TARGET_STROKE = "#1b1f24"


def _scale(values: Sequence[Decimal | None], extra: Decimal | None = None) -> float:
    known = [float(v) for v in values if v is not None]
    if extra is not None:
        known.append(float(extra))
    top = max([abs(v) for v in known] or [1.0])
    return top or 1.0


def sparkline(values: Sequence[Decimal | None], *, width: int = 90, height: int = 22,
              label: str = "") -> SafeString:
    """A line over the points that have a value; gaps stay gaps."""
    if sum(v is not None for v in values) < 2:
        return mark_safe("")
    top = _scale(values)
    known = [float(v) for v in values if v is not None]
    low = min(known + [0.0])
    span = (top - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    segments, current = [], []
    for i, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        y = height - 2 - (float(value) - low) / span * (height - 4)
        current.append(f"{2 + i * step:.1f},{y:.1f}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline fill="none" stroke="#0b5cad" stroke-width="1.6" points="{" ".join(s)}"/>'
        for s in segments
    )
    last_x, last_y = segments[-1][-1].split(",")
    dot = f'<circle cx="{last_x}" cy="{last_y}" r="2.2" fill="#0b5cad"/>'
    return mark_safe(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}">{lines}{dot}</svg>'
    )


def column_chart(
    *, labels: Sequence[str], values: Sequence[Decimal | None], fmt: Callable[[Decimal], str],
    target: Decimal | None = None, target_label: str = "", title: str = "",
    width: int = 520, height: int = 240,
) -> SafeString:
    """Columns (e.g. the same span in each year) with a horizontal target line."""
    top = _scale(values, target) * 1.15
    left, bottom, plot_h = 8, 34, height - 34 - 24
    slot = (width - left * 2) / max(len(values), 1)
    parts = [f'<text x="{left}" y="14" font-size="13" font-weight="600">{escape(title)}</text>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * slot + slot * 0.18
        w = slot * 0.64
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16}" font-size="12" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{height - bottom - 4}" font-size="11" '
                f'text-anchor="middle" fill="#57606a">—</text>'
            )
            continue
        h = max(float(value), 0) / top * plot_h
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                     f'fill="#0b5cad" opacity="{1 if i == len(values) - 1 else 0.55}"/>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" font-size="11" '
                     f'text-anchor="middle">{escape(fmt(value))}</text>')
    if target is not None:
        y = height - bottom - float(target) / top * plot_h
        parts.append(f'<line x1="{left}" x2="{width - left}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{TARGET_STROKE}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        # Left end: the bars' own labels sit above them, the latest at the right.
        parts.append(f'<text x="{left + 2}" y="{y - 5:.1f}" font-size="11" '
                     f'font-weight="600">{escape(target_label)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - left}" y1="{height - bottom}" '
                 f'y2="{height - bottom}" stroke="#8c959f"/>')
    return mark_safe(
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="system-ui,sans-serif">'
        f'{"".join(parts)}</svg>'
    )


def bar_chart(
    *, labels: Sequence[str], values: Sequence[Decimal | None], statuses: Sequence[str | None],
    fmt: Callable[[Decimal], str], target: Decimal | None = None, target_label: str = "",
    title: str = "", width: int = 520,
) -> SafeString:
    """Horizontal bars, one per unit, coloured by status, with a vertical target line."""
    row, label_w, top_pad = 20, 170, 24
    height = top_pad + row * len(values) + 20
    top = _scale(values, target) * 1.2
    plot_w = width - label_w - 12
    parts = [f'<text x="4" y="14" font-size="13" font-weight="600">{escape(title)}</text>']
    for i, (label, value, status) in enumerate(zip(labels, values, statuses, strict=True)):
        y = top_pad + i * row
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="11" '
                     f'text-anchor="end"><title>{escape(label)}</title>{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}" font-size="11" '
                         f'fill="#57606a">—</text>')
            continue
        w = max(float(value), 0) / top * plot_w
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                     f'fill="{STATUS_FILL.get(status, STATUS_FILL[None])}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="11">'
                     f'{escape(fmt(value))}</text>')
    if target is not None:
        x = label_w + float(target) / top * plot_w
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad - 4}" y2="{height - 16}" '
                     f'stroke="{TARGET_STROKE}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 4}" font-size="11" '
                     f'text-anchor="middle">{escape(target_label)}</text>')
    return mark_safe(
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="system-ui,sans-serif">'
        f'{"".join(parts)}</svg>'
    )
