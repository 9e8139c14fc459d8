"""A strategy as a document: Markdown, HTML, DOCX (python-docx) and PDF (WeasyPrint from HTML).

All three formats render one :class:`Outline` (what the document says), so they cannot drift
apart. Texts come in Russian or English (``lang``).

Fonts: the PDF asks for DejaVu Sans, then Liberation Sans, then any sans-serif; on Debian the
``fonts-dejavu-core`` package provides DejaVu Sans with full Cyrillic.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from partnernet.engines.strategy.catalogue import Catalogue, default_catalogue, text
from partnernet.engines.strategy.compose import Finding, Strategy, check

LABELS: dict[str, dict[str, str]] = {
    "role": {"ru": "Роль компании", "en": "Company role"},
    "goal": {"ru": "Цель", "en": "Goal"},
    "metric": {"ru": "Показатель", "en": "Metric"},
    "target": {"ru": "Целевое значение", "en": "Target"},
    "baseline": {"ru": "Исходное значение", "en": "Baseline"},
    "horizon": {"ru": "Срок", "en": "Horizon"},
    "summary": {"ru": "Суть стратегии", "en": "Strategy in brief"},
    "tactics": {"ru": "Тактики по направлениям", "en": "Tactics by dimension"},
    "dimension": {"ru": "Направление", "en": "Dimension"},
    "choice": {"ru": "Выбор", "en": "Choice"},
    "note": {"ru": "Комментарий", "en": "Note"},
    "vendor_decides": {"ru": "Определяет вендор", "en": "Decided by the vendor"},
    "proposal": {"ru": "Наше предложение вендору", "en": "Our proposal to the vendor"},
    "not_chosen": {"ru": "Не выбрано", "en": "Not chosen"},
    "findings": {"ru": "Замечания", "en": "Warnings"},
    "no_findings": {"ru": "Замечаний нет.", "en": "No warnings."},
    "reconstructed": {
        "ru": "* Тактики направлений §5.1–§5.5 восстановлены нами по примерам книги.",
        "en": "* Tactics of dimensions §5.1–§5.5 are our reconstruction from the book's examples.",
    },
    "generated": {"ru": "Документ подготовлен в partnernet", "en": "Prepared with partnernet"},
    "error": {"ru": "ошибка", "en": "error"},
    "warning": {"ru": "предупреждение", "en": "warning"},
    "info": {"ru": "совет", "en": "suggestion"},
    "vendor": {"ru": "вендор", "en": "vendor"},
    "distributor": {"ru": "дистрибьютор", "en": "distributor"},
    "partner": {"ru": "партнёр", "en": "partner"},
}


def label(key: str, lang: str) -> str:
    return LABELS[key].get(lang) or LABELS[key]["en"]


@dataclass
class ChoiceLine:
    dimension: str
    dimension_name: str
    section: str | None
    reconstructed: bool
    tactics: list[dict[str, str]]  # name, description, parameters
    vendor_decides: bool
    note: str


@dataclass
class Outline:
    lang: str
    title: str
    role: str
    goal_rows: list[tuple[str, str]]
    goal_description: str
    summary: str
    choices: list[ChoiceLine]
    findings: list[tuple[str, str]] = field(default_factory=list)  # (severity label, message)
    has_reconstructed: bool = False
    generated_on: date = field(default_factory=date.today)


def years_text(value: Decimal, lang: str) -> str:
    """'3 года', '5 лет', '1 year', '1.5 years' — Russian plural agreement for whole numbers."""
    shown = _number(value)
    if lang != "ru":
        return f"{shown} {'year' if value == 1 else 'years'}"
    if value != value.to_integral():
        return f"{shown} года"  # a fraction takes the genitive singular: 1,5 года
    n = int(value)
    if n % 10 == 1 and n % 100 != 11:
        word = "год"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = "года"
    else:
        word = "лет"
    return f"{shown} {word}"


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    normal = value.normalize()
    return format(normal, "f") if normal == normal.to_integral() else str(value)


def _parameters(tactic: Any, values: dict[str, Any], lang: str) -> str:
    parts = []
    for name, value in values.items():
        spec = tactic.parameters.get(name)
        if spec is None:
            parts.append(f"{name}: {value}")
            continue
        shown = text(spec.labels.get(value), lang) if spec.labels.get(value) else str(value)
        parts.append(f"{text(spec.name, lang)}: {shown}")
    return "; ".join(parts)


def outline(
    strategy: Strategy,
    *,
    lang: str = "ru",
    catalogue: Catalogue | None = None,
    findings: list[Finding] | None = None,
) -> Outline:
    """What the document says, independent of its format."""
    catalogue = catalogue or default_catalogue()
    findings = check(strategy, catalogue) if findings is None else findings
    goal = strategy.goal
    goal_rows: list[tuple[str, str]] = []
    if goal is not None:
        unit = goal.unit or ""
        goal_rows.append((label("metric", lang), goal.label(lang)))
        if goal.target is not None:
            goal_rows.append((label("target", lang), f"{_number(goal.target)}{unit}"))
        if goal.baseline is not None:
            goal_rows.append((label("baseline", lang), f"{_number(goal.baseline)}{unit}"))
        if goal.horizon_years:
            goal_rows.append((label("horizon", lang), years_text(goal.horizon_years, lang)))
    lines: list[ChoiceLine] = []
    # Catalogue order first, then any choice in a dimension the catalogue lacks.
    ordered = [strategy.choice(d.key) for d in catalogue.dimensions]
    ordered += [c for c in strategy.choices if not catalogue.has_dimension(c.dimension)]
    has_reconstructed = False
    for choice in ordered:
        if choice is None:
            continue
        if not catalogue.has_dimension(choice.dimension):
            lines.append(
                ChoiceLine(
                    choice.dimension,
                    choice.dimension,
                    None,
                    False,
                    [{"name": k, "description": "", "parameters": ""} for k in choice.tactics],
                    choice.vendor_decides,
                    text(choice.note, lang),
                )
            )
            continue
        dim = catalogue.dimension(choice.dimension)
        tactics = []
        for key in choice.tactics:
            if key not in dim.tactic_keys():
                tactics.append({"name": key, "description": "", "parameters": ""})
                continue
            tactic = dim.tactic(key)
            tactics.append(
                {
                    "name": text(tactic.name, lang),
                    "description": text(tactic.description, lang),
                    "parameters": _parameters(tactic, dict(choice.parameters.get(key, {})), lang),
                }
            )
        has_reconstructed = has_reconstructed or dim.reconstructed
        lines.append(
            ChoiceLine(
                dimension=dim.key,
                dimension_name=text(dim.name, lang),
                section=dim.section,
                reconstructed=dim.reconstructed,
                tactics=tactics,
                vendor_decides=choice.vendor_decides,
                note=text(choice.note, lang),
            )
        )
    return Outline(
        lang=lang,
        title=text(strategy.title, lang),
        role=label(strategy.role, lang) if strategy.role in LABELS else strategy.role,
        goal_rows=goal_rows,
        goal_description=text(goal.description, lang) if goal else "",
        summary=text(strategy.summary, lang),
        choices=lines,
        findings=[(label(f.severity, lang), text(f.message, lang)) for f in findings],
        has_reconstructed=has_reconstructed,
    )


def _choice_heading(line: ChoiceLine) -> str:
    mark = "*" if line.reconstructed else ""
    return f"{line.dimension_name}{mark}"


def _choice_summary(line: ChoiceLine, lang: str) -> str:
    """The decision in one line: tactic names joined by '+', or 'decided by the vendor'."""
    names = " + ".join(t["name"] for t in line.tactics)
    if line.vendor_decides:
        base = label("vendor_decides", lang)
        return f"{base}; {label('proposal', lang).lower()}: {names}" if names else base
    return names or label("not_chosen", lang)


# --- Markdown ------------------------------------------------------------------------------------


def _md_escape(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Outline) -> str:
    lang = doc.lang
    out = [f"# {doc.title}", "", f"**{label('role', lang)}:** {doc.role}", ""]
    if doc.goal_rows or doc.goal_description:
        out += [f"## {label('goal', lang)}", ""]
        if doc.goal_description:
            out += [doc.goal_description, ""]
        out += [f"- **{name}:** {value}" for name, value in doc.goal_rows]
        out.append("")
    if doc.summary:
        out += [f"## {label('summary', lang)}", "", doc.summary, ""]
    out += [f"## {label('tactics', lang)}", ""]
    out += [f"| {label('dimension', lang)} | {label('choice', lang)} |", "|---|---|"]
    for line in doc.choices:
        out.append(
            f"| {_md_escape(_choice_heading(line))} | {_md_escape(_choice_summary(line, lang))} |"
        )
    out.append("")
    for line in doc.choices:
        out += [f"### {_choice_heading(line)}", "", f"**{_choice_summary(line, lang)}**", ""]
        for tactic in line.tactics:
            if tactic["description"]:
                out.append(f"- *{tactic['name']}* — {tactic['description']}")
            if tactic["parameters"]:
                out.append(f"  ({tactic['parameters']})")
        if line.tactics:
            out.append("")
        if line.note:
            out += [f"> {label('note', lang)}: {line.note}", ""]
    out += [f"## {label('findings', lang)}", ""]
    if doc.findings:
        out += [f"- **{severity}:** {message}" for severity, message in doc.findings]
    else:
        out.append(label("no_findings", lang))
    out.append("")
    if doc.has_reconstructed:
        out += [label("reconstructed", lang), ""]
    out += ["---", f"{label('generated', lang)}, {doc.generated_on.isoformat()}", ""]
    return "\n".join(out)


# --- HTML and PDF --------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #777;
                        font-family: "DejaVu Sans", "Liberation Sans", sans-serif; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt;
       line-height: 1.4; color: #1d2733; }
h1 { font-size: 18pt; margin: 0 0 4pt 0; color: #0b3c5d; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt 0; color: #0b3c5d;
     border-bottom: 1px solid #c9d4df; padding-bottom: 2pt; }
h3 { font-size: 10.5pt; margin: 10pt 0 2pt 0; }
.role { color: #555; margin-bottom: 10pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt 0; }
th, td { border: 1px solid #c9d4df; padding: 4pt 6pt; vertical-align: top; text-align: left; }
th { background: #eef3f8; font-weight: bold; }
td.dim { width: 34%; font-weight: bold; }
.choice { page-break-inside: avoid; margin-bottom: 6pt; }
.decision { font-weight: bold; }
.desc { color: #333; margin: 2pt 0 0 10pt; }
.params { color: #555; font-style: italic; margin-left: 10pt; }
.note { border-left: 3px solid #8fb3d1; padding-left: 6pt; color: #333; margin: 3pt 0 0 0; }
.finding-error { color: #a4161a; } .finding-warning { color: #8a5a00; }
.finding-info { color: #335c81; }
.foot { color: #777; font-size: 8pt; margin-top: 14pt; }
"""


def to_html(doc: Outline) -> str:
    lang = doc.lang
    e = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(doc.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(doc.title)}</h1>",
        f'<div class="role">{e(label("role", lang))}: {e(doc.role)}</div>',
    ]
    if doc.goal_rows or doc.goal_description:
        parts.append(f"<h2>{e(label('goal', lang))}</h2>")
        if doc.goal_description:
            parts.append(f"<p>{e(doc.goal_description)}</p>")
        if doc.goal_rows:
            parts.append("<table>")
            parts += [
                f'<tr><td class="dim">{e(n)}</td><td>{e(v)}</td></tr>' for n, v in doc.goal_rows
            ]
            parts.append("</table>")
    if doc.summary:
        parts += [f"<h2>{e(label('summary', lang))}</h2>", f"<p>{e(doc.summary)}</p>"]
    parts += [
        f"<h2>{e(label('tactics', lang))}</h2>",
        "<table><tr>",
        f"<th>{e(label('dimension', lang))}</th><th>{e(label('choice', lang))}</th></tr>",
    ]
    parts += [
        f'<tr><td class="dim">{e(_choice_heading(line))}</td>'
        f"<td>{e(_choice_summary(line, lang))}</td></tr>"
        for line in doc.choices
    ]
    parts.append("</table>")
    for line in doc.choices:
        parts.append('<div class="choice">')
        parts.append(f"<h3>{e(_choice_heading(line))}</h3>")
        parts.append(f'<div class="decision">{e(_choice_summary(line, lang))}</div>')
        for tactic in line.tactics:
            if tactic["description"]:
                parts.append(
                    f'<div class="desc"><i>{e(tactic["name"])}</i> — '
                    f"{e(tactic['description'])}</div>"
                )
            if tactic["parameters"]:
                parts.append(f'<div class="params">{e(tactic["parameters"])}</div>')
        if line.note:
            parts.append(f'<div class="note">{e(label("note", lang))}: {e(line.note)}</div>')
        parts.append("</div>")
    parts.append(f"<h2>{e(label('findings', lang))}</h2>")
    if doc.findings:
        parts.append("<ul>")
        severities = {label(s, lang): s for s in ("error", "warning", "info")}
        for severity, message in doc.findings:
            css = severities.get(severity, "info")
            parts.append(f'<li class="finding-{css}"><b>{e(severity)}:</b> {e(message)}</li>')
        parts.append("</ul>")
    else:
        parts.append(f"<p>{e(label('no_findings', lang))}</p>")
    if doc.has_reconstructed:
        parts.append(f'<p class="foot">{e(label("reconstructed", lang))}</p>')
    parts.append(
        f'<p class="foot">{e(label("generated", lang))}, {doc.generated_on.isoformat()}</p>'
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def to_pdf(doc: Outline) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    pdf = HTML(string=to_html(doc)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


# --- DOCX ----------------------------------------------------------------------------------------


def to_docx(doc: Outline) -> bytes:
    from docx import Document
    from docx.shared import Pt, RGBColor

    lang = doc.lang
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(10)
    document.core_properties.title = doc.title
    document.core_properties.language = lang
    document.add_heading(doc.title, level=0)
    role = document.add_paragraph()
    role.add_run(f"{label('role', lang)}: ").bold = True
    role.add_run(doc.role)
    if doc.goal_rows or doc.goal_description:
        document.add_heading(label("goal", lang), level=1)
        if doc.goal_description:
            document.add_paragraph(doc.goal_description)
        if doc.goal_rows:
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for name, value in doc.goal_rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = name, value
                cells[0].paragraphs[0].runs[0].bold = True
    if doc.summary:
        document.add_heading(label("summary", lang), level=1)
        document.add_paragraph(doc.summary)
    document.add_heading(label("tactics", lang), level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text = label("dimension", lang), label("choice", lang)
    for cell in header:
        cell.paragraphs[0].runs[0].bold = True
    for line in doc.choices:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = _choice_heading(line), _choice_summary(line, lang)
    for line in doc.choices:
        document.add_heading(_choice_heading(line), level=2)
        decision = document.add_paragraph()
        decision.add_run(_choice_summary(line, lang)).bold = True
        for tactic in line.tactics:
            if tactic["description"]:
                para = document.add_paragraph(style="List Bullet")
                para.add_run(tactic["name"]).italic = True
                para.add_run(f" — {tactic['description']}")
            if tactic["parameters"]:
                document.add_paragraph(tactic["parameters"]).runs[0].italic = True
        if line.note:
            para = document.add_paragraph()
            para.add_run(f"{label('note', lang)}: ").bold = True
            para.add_run(line.note)
    document.add_heading(label("findings", lang), level=1)
    if doc.findings:
        for severity, message in doc.findings:
            para = document.add_paragraph(style="List Bullet")
            para.add_run(f"{severity}: ").bold = True
            para.add_run(message)
    else:
        document.add_paragraph(label("no_findings", lang))
    foot = []
    if doc.has_reconstructed:
        foot.append(label("reconstructed", lang))
    foot.append(f"{label('generated', lang)}, {doc.generated_on.isoformat()}")
    for line_text in foot:
        run = document.add_paragraph().add_run(line_text)
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x77, 0x77, 0x77)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMATS = ("md", "docx", "pdf", "html")


def render(
    strategy: Strategy, fmt: str, *, lang: str = "ru", catalogue: Catalogue | None = None
) -> bytes:
    """The strategy as a document of format ``fmt`` (md, html, docx, pdf), as bytes."""
    doc = outline(strategy, lang=lang, catalogue=catalogue)
    if fmt == "md":
        return to_markdown(doc).encode("utf-8")
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    if fmt == "docx":
        return to_docx(doc)
    if fmt == "pdf":
        return to_pdf(doc)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
