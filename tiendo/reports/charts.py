"""Charts of the report, drawn once with matplotlib from the report structure: PNG for Word
(python-docx embeds raster images only) and SVG for the PDF (sharp at any zoom). Both come
from the same figure, so they show the same bars as the tables. Excel gets a native chart
over the sheet's own cells instead (see excel.py)."""

import io
import textwrap
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # no display on a server
from matplotlib import pyplot  # noqa: E402

COLOURS = {"exceeded": "#1a7f37", "met": "#2f6fb3", "near": "#bf8700", "not_met": "#c62828"}


def _figure(content: dict):
    bars = content["chart"]
    labels = ["\n".join(textwrap.wrap(bar["label"], 60)) for bar in bars]
    values = [float(Decimal(bar["value"])) for bar in bars]
    height = 1.0 + 0.25 * max(len(bars), 1) + 0.16 * sum(label.count("\n") for label in labels)
    figure, axes = pyplot.subplots(figsize=(6.3, height), dpi=150)
    positions = range(len(bars))
    axes.barh(list(positions), values, height=0.7,
              color=[COLOURS.get(bar["status"], "#555555") for bar in bars])
    axes.set_yticks(list(positions), labels, fontsize=7)
    axes.invert_yaxis()
    axes.axvline(100, color="#333333", linewidth=0.8, linestyle="--")
    decimal_comma = content["lang"] == "vi"
    for position, value in zip(positions, values, strict=True):
        text = f"{value:.2f}"
        axes.text(value + 1, position, text.replace(".", ",") if decimal_comma else text,
                  va="center", fontsize=6.5)
    axes.set_xlim(0, max([*values, 100]) * 1.15)
    axes.set_title(content["labels"]["chart_title"], fontsize=9)
    axes.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return figure


def chart_png(content: dict) -> bytes | None:
    if not content["chart"]:
        return None
    figure = _figure(content)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    pyplot.close(figure)
    return buffer.getvalue()


def chart_svg(content: dict) -> str | None:
    if not content["chart"]:
        return None
    with matplotlib.rc_context({"svg.hashsalt": "tiendo"}):  # stable ids: same file again
        figure = _figure(content)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    pyplot.close(figure)
    return buffer.getvalue()
