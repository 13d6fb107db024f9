"""The report as PDF: the same structure laid out by an HTML template and WeasyPrint.

Fonts: Times New Roman where installed, else Liberation Serif (its metric twin, Debian's
fonts-liberation2) or DejaVu Serif; all three cover Vietnamese ("ệ ử ỗ đ")."""

import base64

from django.template.loader import render_to_string

from tiendo.poverty.report import poverty_sentences
from tiendo.reports.blocks import fit_lines, number_text, signature_lines
from tiendo.reports.charts import chart_svg

LEFT_COLUMN_MM = (210 - 30 - 15) * 0.42


def report_html(content: dict) -> str:
    svg = chart_svg(content)
    params = content["params"]
    parent = (fit_lines(params["parent_body"].upper(), LEFT_COLUMN_MM, bold=False)
              if params["parent_body"] else None)
    narrative = [{**part, "paragraphs": [t.strip() for t in part["text"].splitlines()
                                         if t.strip()]}
                 for part in content.get("narrative", [])]
    return render_to_string("reports/report_pdf.html", {
        "c": {**content, "narrative": narrative},
        "parent": parent,
        "issuer": fit_lines(params["issuing_body"].upper(), LEFT_COLUMN_MM),
        "signature": signature_lines(params),
        "number": number_text(content["params"]),
        "chart": base64.b64encode(svg.encode()).decode() if svg else "",
        "poverty_sentences": (poverty_sentences(content["poverty"])
                              if content.get("poverty") else []),
        "has_estimates": any(row["estimate"] for s in content["sections"] for row in s["rows"]),
    })


def render_pdf(content: dict) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which only this needs

    html = HTML(string=report_html(content))
    # Metadata from the content, not the clock, so the same content gives the same file.
    document = html.render()
    document.metadata.title = content["params"]["subject"]
    document.metadata.authors = [content["params"]["issuing_body"]]
    document.metadata.created = document.metadata.modified = content["generated_at"]
    return document.write_pdf()
