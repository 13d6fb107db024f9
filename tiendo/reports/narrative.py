"""The written parts of a report: general assessment, shortcomings and their causes, and
the tasks for the next period. Drafted here from the engine's figures (the targets behind,
the units lagging); the specialist edits them on the report page before generating, and
the text is kept with the report so that it renders again identically."""

from django.utils.translation import gettext as _

# (parameter holding the specialist's text, heading)
MET_LISTED = 5
PARTS = ("narrative_assessment", "narrative_shortcomings", "narrative_directions")


def headings() -> dict[str, str]:
    return {
        "narrative_assessment": _("III. GENERAL ASSESSMENT"),
        "narrative_shortcomings": _("IV. SHORTCOMINGS, LIMITATIONS AND CAUSES"),
        "narrative_directions": _("V. DIRECTIONS AND TASKS FOR THE NEXT PERIOD"),
    }


def _behind(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["status"] in ("not_met", "near") or row["at_risk"]]


def narrative_draft(*, summary_text: str, rows: list[dict], lagging: list[dict]) -> dict:
    """A first text for each part, from the figures; one paragraph a line."""
    met = [row["label"] for row in rows if row["status"] in ("met", "exceeded")]
    behind = _behind(rows)
    assessment = [summary_text]
    if 0 < len(met) <= MET_LISTED:  # a long list is the table's work, not the text's
        assessment.append(_("Targets met or exceeded: %(names)s.") % {"names": ", ".join(met)})
    if not behind:
        assessment.append(_("No target is behind the plan in this period."))
    shortcomings = [
        _("%(indicator)s: %(achievement)s of the plan (%(status)s).") % {
            "indicator": row["label"], "achievement": row["achievement_text"] or "—",
            "status": row["status_text"].lower()}
        for row in behind
    ]
    lagging_names = [unit["name"] for unit in lagging if unit.get("name")]
    if lagging_names:
        shortcomings.append(_("Units lagging behind: %(units)s.")
                            % {"units": ", ".join(lagging_names)})
    if not shortcomings:  # the causes are the specialist's to write: none is invented
        shortcomings = [_("No significant shortcoming in this period.")]
    directions = [_("Keep up the results of the targets already met.")]
    if behind:
        directions.insert(0, _("Concentrate on the targets not yet met: %(names)s.") % {
            "names": ", ".join(row["label"] for row in behind)})
    if lagging_names:
        directions.append(_("Urge and support the lagging units: %(units)s.")
                          % {"units": ", ".join(lagging_names)})
    return {"narrative_assessment": "\n".join(assessment),
            "narrative_shortcomings": "\n".join(shortcomings),
            "narrative_directions": "\n".join(directions)}


def narrative_parts(*, params: dict, draft: dict) -> list[dict]:
    """The parts as the report shows them: the specialist's text where given, else the
    draft."""
    titles = headings()
    return [{"code": key, "title": titles[key], "text": params.get(key) or draft[key]}
            for key in PARTS]
