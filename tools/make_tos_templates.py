"""Create the first version of the TOS document templates in bot/templates/tos/*.docx.

The templates are Word files with Jinja tags that docxtpl fills (bot/services/tos_documents.py
lists the variables). Once committed, the .docx files are the source of truth: a lawyer edits
them in Word. This script only made the first version; running it again overwrites any such
edits. The output is deterministic (fixed dates in the properties and in the zip entries).

Usage: python tools/make_tos_templates.py [--output DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from bot.services.tos_documents import stable_zip

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "bot" / "templates" / "tos"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
FONT = "Times New Roman"
ADDRESSEE_INDENT = Cm(8.5)
BLANK = "________________"
VOTES = "Голосовали: «за» ______, «против» ______, «воздержались» ______."
TOS = "территориального общественного самоуправления «{{ tos_name }}»"


# --- building blocks -----------------------------------------------------------------------


def new_document(title: str) -> DocumentObject:
    """An A4 document in Times New Roman 12 pt, Russian, with page numbers in the footer."""
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert run_defaults is not None
    for child in list(run_defaults):
        run_defaults.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "24")
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), "24")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    run_defaults.extend([fonts, size, size_cs, lang])
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    assert spacing is not None
    spacing.set(qn("w:after"), "100")
    spacing.set(qn("w:line"), "240")
    for style_id, half_points in (("Heading1", "28"), ("Heading2", "24")):
        style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        assert style is not None
        run = style.find(qn("w:rPr"))
        assert run is not None
        for tag in ("w:rFonts", "w:color"):
            element = run.find(qn(tag))
            if element is not None:
                run.remove(element)
        for tag in ("w:sz", "w:szCs"):
            element = run.find(qn(tag))
            if element is not None:
                element.set(qn("w:val"), half_points)
        paragraph = style.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        if paragraph is not None:
            paragraph.set(qn("w:before"), "240")
            paragraph.set(qn("w:after"), "120")

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)

    props = doc.core_properties
    props.title = title
    props.author = "tos-bot"
    props.last_modified_by = "tos-bot"
    props.comments = ""
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    # The default template's thumbnail shows an empty page; drop it.
    package_rels = doc.part.package.rels
    for key, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[key]
    return doc


def para(
    doc: DocumentObject,
    text: str = "",
    *,
    bold: bool = False,
    center: bool = False,
    indent: bool = True,
    style: str | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    if text:
        paragraph.add_run(text).bold = bold or None
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent and style is None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    return paragraph


def labelled(doc: DocumentObject, label: str, value: str) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(" " + value)
    return paragraph


def tag(doc: DocumentObject, statement: str) -> None:
    """A docxtpl paragraph tag such as `{%p if is_conference %}`: the paragraph disappears."""
    doc.add_paragraph(statement)


def title(doc: DocumentObject, heading: str, *subtitles: str) -> None:
    paragraph = para(doc, heading, bold=True, center=True)
    paragraph.runs[0].font.size = Pt(14)
    for line in subtitles:
        para(doc, line, bold=True, center=True)


def heading(doc: DocumentObject, text: str, level: int = 2) -> None:
    doc.add_heading(text, level=level)


def addressee(doc: DocumentObject, *lines: str) -> None:
    for line in lines:
        paragraph = doc.add_paragraph(line)
        paragraph.paragraph_format.left_indent = ADDRESSEE_INDENT
        paragraph.paragraph_format.space_after = Pt(0)
    doc.add_paragraph()


def bullets(doc: DocumentObject, loop: str, item: str) -> None:
    tag(doc, f"{{%p for {loop} %}}")
    doc.add_paragraph(item, style="List Bullet")
    tag(doc, "{%p endfor %}")


def table(
    doc: DocumentObject, headers: list[str], widths_cm: list[float], cells: list[str], loop: str
) -> None:
    """A bordered table: a header row repeated on every page, and one row per loop item."""
    grid = doc.add_table(rows=4, cols=len(headers))
    grid.style = "Table Grid"
    grid.autofit = False
    header, start, body, end = grid.rows
    for row, values in ((header, headers), (body, cells)):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    for cell in header.cells:
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    start.cells[0].text = f"{{%tr for {loop} %}}"
    end.cells[0].text = "{%tr endfor %}"
    body.height = Cm(0.9)
    body.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for column, width in zip(grid.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice follows
        for cell in column.cells:
            cell.width = Cm(width)  # each cell, which Word follows
    doc.add_paragraph()


def signature(doc: DocumentObject, who: str, name: str = BLANK) -> None:
    doc.add_paragraph(f"{who}  ______________ / {name} /")


# --- the documents -------------------------------------------------------------------------


def notice(doc: DocumentObject) -> None:
    title(doc, "УВЕДОМЛЕНИЕ", "о проведении {{ assembly.gen }}", f"по созданию {TOS}")
    para(doc, "{{ municipality }}, {{ region }}", center=True)
    para(doc, "Уважаемые жители!", bold=True, center=True)
    para(
        doc,
        "Инициативная группа жителей сообщает: {{ meeting_when }} состоится "
        "{{ assembly.nom }} по вопросу создания территориального общественного "
        "самоуправления (ТОС) «{{ tos_name }}».",
    )
    labelled(doc, "Место проведения:", "{{ meeting_place }}.")
    labelled(doc, "Территория ТОС:", "{{ territory_type }}.")
    labelled(doc, "Границы территории:", "{{ boundaries }}.")
    heading(doc, "Повестка дня")
    para(doc, "1. О создании ТОС «{{ tos_name }}».", indent=False)
    para(doc, "2. О принятии устава ТОС «{{ tos_name }}».", indent=False)
    para(doc, "3. Об избрании органов ТОС: совета ТОС и председателя совета ТОС.", indent=False)
    para(doc, "4. Об определении основных направлений деятельности ТОС.", indent=False)
    para(doc, "5. О лице, уполномоченном представить устав ТОС на регистрацию.", indent=False)
    heading(doc, "Кто участвует и когда решения действительны")
    para(
        doc,
        "В создании ТОС участвуют жители территории, достигшие "
        "{{ rules.min_age.value }}-летнего возраста{{ rules.min_age.ref }}. "
        "Возьмите с собой документ, удостоверяющий личность.",
    )
    tag(doc, "{%p if is_conference %}")
    para(
        doc,
        "Конференция проводится из делегатов, избранных на собраниях жителей домов "
        "(подъездов, улиц): один делегат от {{ residents_per_delegate }} жителей, всего около "
        "{{ plan.delegates }} делегатов на {{ plan.residents }} жителей территории.",
    )
    para(
        doc,
        "Конференция правомочна, если в ней участвуют не менее "
        "{{ rules.conference_delegates_quorum.value }} избранных на собраниях жителей "
        "делегатов{{ rules.conference_delegates_quorum.ref }}, представляющих не менее "
        "{{ plan.represented_minimum }} жителей — {{ rules.conference_represented_share.value }} "
        "жителей территории{{ rules.conference_represented_share.ref }}. Если будут избраны все "
        "{{ plan.delegates }} делегатов, нужно не менее {{ plan.conference_quorum }} из них.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Собрание правомочно, если в нём участвуют не менее {{ plan.meeting_quorum }} из "
        "{{ plan.residents }} жителей территории — {{ rules.meeting_quorum.value }}"
        "{{ rules.meeting_quorum.ref }}.",
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Инициативная группа")
    bullets(doc, "person in initiative_group", "{{ person }}")
    labelled(doc, "Председатель инициативной группы:", "{{ initiative_chair }}.")
    labelled(doc, "Справки:", "{{ applicant_name }}, тел. {{ applicant_phone }}.")
    doc.add_paragraph()
    doc.add_paragraph("Дата размещения уведомления: {{ today }}")


def registration_sheet(doc: DocumentObject) -> None:
    title(doc, "ЛИСТ РЕГИСТРАЦИИ", "участников {{ assembly.gen }}", f"по созданию {TOS}")
    labelled(doc, "Дата и время:", "{{ meeting_when }}")
    labelled(doc, "Место:", "{{ meeting_place }}")
    para(
        doc,
        "Подписью участник подтверждает, что достиг {{ rules.min_age.value }}-летнего "
        "возраста и проживает в границах территории ТОС{% if is_conference %} и избран "
        "делегатом конференции{% endif %}, а также соглашается на использование своих "
        "фамилии, имени, отчества и адреса для оформления документов о создании ТОС.",
    )
    tag(doc, "{%p if is_conference %}")
    # A conference is valid when the delegates present represent enough residents: each
    # delegate's number (from the minutes of their election) is written beside their name.
    table(
        doc,
        ["№", "ФИО делегата", "Адрес (в границах ТОС)", "Представляет жителей", "Подпись"],
        [1.0, 5.0, 5.0, 2.7, 2.8],
        ["{{ number }}", "", "", "", ""],
        "number in rows",
    )
    doc.add_paragraph(
        "Всего зарегистрировано: ______ делегатов из ______ избранных, представляющих "
        "______ жителей."
    )
    tag(doc, "{%p else %}")
    table(
        doc,
        ["№", "ФИО", "Адрес (в границах ТОС)", "Подпись"],
        [1.2, 6.0, 6.3, 3.0],
        ["{{ number }}", "", "", ""],
        "number in rows",
    )
    doc.add_paragraph("Всего зарегистрировано: ______ человек.")
    tag(doc, "{%p endif %}")
    signature(doc, "Регистрацию вёл(а):")


def protocol(doc: DocumentObject) -> None:
    title(doc, "ПРОТОКОЛ № 1", "{{ assembly.gen }}", f"по созданию {TOS}")
    para(doc, "{{ municipality }}, {{ region }}", center=True)
    labelled(doc, "Дата и время:", "{{ meeting_when }}")
    labelled(doc, "Место проведения:", "{{ meeting_place }}")
    labelled(doc, "Территория ТОС:", "{{ territory_type }}; границы: {{ boundaries }}.")
    labelled(
        doc,
        "Жителей территории, достигших {{ rules.min_age.value }}-летнего возраста:",
        "{{ plan.residents }}.",
    )
    tag(doc, "{%p if is_conference %}")
    labelled(
        doc, "Норма представительства:", "один делегат от {{ residents_per_delegate }} жителей."
    )
    # How many were elected is a fact of the residents' meetings: the protocol leaves it blank.
    labelled(
        doc,
        "Избрано делегатов на собраниях жителей:",
        "______ (по протоколам собраний жителей об избрании делегатов, прилагаются).",
    )
    para(
        doc,
        "Конференция правомочна при участии не менее {{ rules.conference_delegates_quorum.value }} "
        "избранных делегатов{{ rules.conference_delegates_quorum.ref }}, представляющих не менее "
        "{{ plan.represented_minimum }} жителей ({{ rules.conference_represented_share.value }})"
        "{{ rules.conference_represented_share.ref }}.",
    )
    labelled(
        doc,
        "Присутствовали:",
        "______ из ______ избранных делегатов (по листу регистрации), представляющих "
        "______ жителей.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Собрание правомочно при участии не менее {{ plan.meeting_quorum }} жителей "
        "({{ rules.meeting_quorum.value }}){{ rules.meeting_quorum.ref }}.",
    )
    labelled(doc, "Присутствовали:", "______ жителей (по листу регистрации).")
    tag(doc, "{%p endif %}")
    labelled(doc, "Кворум:", "имеется / отсутствует (нужное подчеркнуть).")
    heading(doc, "Избрание председателя и секретаря")
    para(doc, f"Председатель: {BLANK}; секретарь: {BLANK}.", indent=False)
    para(doc, VOTES, indent=False)

    heading(doc, "Повестка дня")
    agenda = [
        "О создании ТОС «{{ tos_name }}».",
        "О принятии устава ТОС «{{ tos_name }}».",
        "Об избрании органов ТОС: совета ТОС и председателя совета ТОС.",
        "Об определении основных направлений деятельности ТОС.",
        "О лице, уполномоченном представить устав ТОС на регистрацию.",
    ]
    for number, question in enumerate(agenda, start=1):
        para(doc, f"{number}. {question}", indent=False)

    def item(number: int, decision: Callable[[], object]) -> None:
        heading(doc, f"{number}. {agenda[number - 1]}")
        labelled(doc, "СЛУШАЛИ:", f"{BLANK} (ФИО).")
        paragraph = doc.add_paragraph()
        paragraph.add_run("РЕШИЛИ:").bold = True
        decision()
        para(doc, VOTES, indent=False)

    item(
        1,
        lambda: para(
            doc,
            "Создать территориальное общественное самоуправление «{{ tos_name }}» на "
            "территории: {{ territory_type }} в границах: {{ boundaries }} "
            "({{ municipality }}, {{ region }}).",
        ),
    )
    item(2, lambda: para(doc, "Принять устав ТОС «{{ tos_name }}» (прилагается)."))

    def council() -> None:
        para(
            doc,
            "Избрать совет ТОС в составе {{ council_text }} сроком на {{ term_text }}:",
        )
        tag(doc, "{%p for seat in council_seats %}")
        para(doc, "{{ seat }}. ______________________________________", indent=False)
        tag(doc, "{%p endfor %}")
        para(doc, f"Избрать председателем совета ТОС: {BLANK}.")

    item(3, council)

    def directions() -> None:
        para(doc, "Определить основные направления деятельности ТОС:")
        bullets(doc, "direction in directions", "{{ direction }}")
        tag(doc, "{%p if goals_text %}")
        para(doc, "{{ goals_text }}")
        tag(doc, "{%p endif %}")

    item(4, directions)
    item(
        5,
        lambda: para(
            doc,
            "Поручить представить устав ТОС, настоящий протокол и лист регистрации на "
            "регистрацию (орган регистрации: {{ registration_body.text }}): "
            "{{ applicant_name }}.",
        ),
    )
    doc.add_paragraph()
    signature(doc, "Председатель:")
    signature(doc, "Секретарь:")
    doc.add_paragraph()
    doc.add_paragraph(
        "Приложения: 1. Лист регистрации участников. 2. Устав ТОС «{{ tos_name }}»."
        "{% if is_conference %} 3. Протоколы собраний жителей об избрании делегатов.{% endif %}"
    )


def charter(doc: DocumentObject) -> None:
    addressee(doc, "ПРИНЯТ", "{{ assembly.instr }}", "{{ meeting_date }}, протокол № 1")
    title(doc, "УСТАВ", TOS)
    para(doc, "{{ municipality }}, {{ region }}", center=True)

    heading(doc, "1. Общие положения")
    para(
        doc,
        "1.1. Территориальное общественное самоуправление «{{ tos_name }}» (далее — ТОС) — "
        "самоорганизация граждан по месту их жительства на части территории муниципального "
        "образования ({{ municipality }}) для самостоятельного и под свою ответственность "
        "осуществления собственных инициатив по вопросам местного значения.",
    )
    para(
        doc,
        "1.2. Правовая основа деятельности ТОС: Конституция Российской Федерации; {{ act }}; "
        "устав муниципального образования; акты его органов о ТОС; настоящий устав.",
    )
    para(
        doc,
        "1.3. В ТОС участвуют жители территории ТОС, достигшие {{ rules.min_age.value }}-летнего "
        "возраста{{ rules.min_age.ref }}.",
    )
    para(doc, "1.4. {{ establishment.text }}{{ establishment.ref }}.")
    para(
        doc,
        "1.5. ТОС действует без образования юридического лица. Собрание (конференция) граждан "
        "может решить зарегистрировать ТОС как некоммерческую организацию, внеся изменения в "
        "настоящий устав{{ legal_entity.ref }}.",
    )

    heading(doc, "2. {{ sections.territory }}")
    para(
        doc,
        "2.1. ТОС осуществляется в пределах территории: {{ territory_type }}{{ territory_ref }}.",
    )
    para(doc, "2.2. Границы территории ТОС: {{ boundaries }}.")
    para(
        doc,
        "2.3. Границы территории ТОС устанавливаются по предложению населения решением органа: "
        "{{ boundaries_body.text }}{{ boundaries_body.ref }}.",
    )

    heading(doc, "3. {{ sections.goals }}")
    para(
        doc,
        "3.1. Цель ТОС — самостоятельное осуществление жителями собственных инициатив по "
        "вопросам местного значения, улучшение условий жизни на территории ТОС.",
    )
    para(doc, "3.2. Основные направления деятельности ТОС:")
    bullets(doc, "direction in directions", "{{ direction }}")
    tag(doc, "{%p if goals_text %}")
    para(doc, "3.3. Задачи ТОС: {{ goals_text }}")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "{% if goals_text %}3.4{% else %}3.3{% endif %}. Формы деятельности: собрания и "
        "конференции граждан, работа совета ТОС, участие в инициативных проектах, "
        "благотворительные и общественные акции, взаимодействие с органами местного "
        "самоуправления, договоры с ними об осуществлении деятельности за счёт средств "
        "местного бюджета.",
    )

    heading(doc, "4. {{ sections.bodies }}")
    para(doc, "4.1. Высший орган ТОС — собрание (конференция) граждан.")
    para(
        doc,
        "4.2. К исключительным полномочиям собрания (конференции) граждан относятся"
        "{{ exclusive_powers_ref }}:",
    )
    tag(doc, "{%p for power in exclusive_powers %}")
    para(doc, "{{ loop.index }}) {{ power }}{% if loop.last %}.{% else %};{% endif %}")
    tag(doc, "{%p endfor %}")
    para(
        doc,
        "4.3. Исполнительный орган ТОС — совет ТОС в составе {{ council_text }}, избираемый "
        "собранием (конференцией) граждан открытым голосованием сроком на {{ term_text }}.",
    )
    para(
        doc,
        "4.4. Председатель совета ТОС избирается собранием (конференцией) граждан из числа "
        "членов совета на срок полномочий совета. Председатель организует работу совета, "
        "представляет ТОС в отношениях с органами местного самоуправления, организациями и "
        "гражданами, подписывает документы ТОС.",
    )
    para(
        doc,
        "4.5. Совет ТОС представляет интересы жителей, обеспечивает исполнение решений "
        "собрания (конференции), организует деятельность по основным направлениям, ежегодно "
        "отчитывается перед собранием (конференцией). Члены совета обязаны соблюдать настоящий "
        "устав и исполнять решения собрания (конференции).",
    )
    para(
        doc,
        "4.6. Полномочия совета, его председателя и членов прекращаются по истечении срока, "
        "а досрочно — по решению собрания (конференции) граждан, по личному заявлению, при "
        "выезде за пределы территории ТОС, а также по иным основаниям, установленным законом.",
    )

    heading(doc, "5. {{ sections.decisions }}")
    para(
        doc,
        "5.1. Собрание граждан правомочно, если в нём принимают участие не менее "
        "{{ rules.meeting_quorum.value }} жителей территории ТОС, достигших "
        "{{ rules.min_age.value }}-летнего возраста{{ rules.meeting_quorum.ref }}.",
    )
    para(
        doc,
        "5.2. Конференция граждан правомочна, если в ней принимают участие не менее "
        "{{ rules.conference_delegates_quorum.value }} избранных на собраниях граждан "
        "делегатов{{ rules.conference_delegates_quorum.ref }}, представляющих не менее "
        "{{ rules.conference_represented_share.value }} жителей территории ТОС, достигших "
        "{{ rules.min_age.value }}-летнего возраста{{ rules.conference_represented_share.ref }}"
        ". Норма представительства — один делегат от {{ residents_per_delegate }} жителей.",
    )
    para(
        doc,
        "5.3. Решения собрания (конференции) граждан принимаются большинством голосов "
        "присутствующих открытым голосованием и оформляются протоколом, который подписывают "
        "председатель и секретарь собрания (конференции).",
    )
    para(
        doc,
        "5.4. Собрание (конференция) созывается советом ТОС по мере необходимости, но не реже "
        "одного раза в год, а также по инициативе жителей территории ТОС.",
    )
    para(
        doc,
        "5.5. Решения совета ТОС принимаются большинством голосов от числа его членов.",
    )

    heading(doc, "6. {{ sections.property }}")
    para(
        doc,
        "6.1. Источники средств ТОС: добровольные взносы и пожертвования, средства местного "
        "бюджета, предоставленные по договору с органами местного самоуправления, гранты и "
        "иные не запрещённые законом поступления.",
    )
    para(
        doc,
        "6.2. Смета доходов и расходов ТОС и отчёт о её исполнении утверждаются собранием "
        "(конференцией) граждан. Совет ТОС распоряжается средствами в пределах сметы.",
    )
    para(
        doc,
        "6.3. Имущество приобретается, используется и отчуждается по решению собрания "
        "(конференции) граждан для целей, предусмотренных настоящим уставом. Пока ТОС не "
        "является юридическим лицом, имущество и средства, переданные для его деятельности, "
        "используются по договорам с их собственниками.",
    )

    heading(doc, "7. {{ sections.termination }}")
    para(
        doc,
        "7.1. Осуществление ТОС прекращается по решению собрания (конференции) граждан либо "
        "на основании решения суда.",
    )
    para(
        doc,
        "7.2. Решение о прекращении ТОС направляется в орган, зарегистрировавший устав. "
        "Оставшиеся средства и имущество используются в соответствии с решением собрания "
        "(конференции) граждан, а если ТОС является юридическим лицом — в порядке, "
        "установленном законом для некоммерческих организаций.",
    )

    heading(doc, "8. Заключительные положения")
    para(
        doc,
        "8.1. Изменения и дополнения в устав принимаются собранием (конференцией) граждан и "
        "регистрируются в том же порядке, что и устав.",
    )


def application(doc: DocumentObject) -> None:
    addressee(
        doc,
        "Кому: {{ registration_body.text }}",
        "{{ municipality }}, {{ region }}",
        "От: {{ applicant_name }}",
        "Телефон: {{ applicant_phone }}",
    )
    title(doc, "ЗАЯВЛЕНИЕ", f"о регистрации устава {TOS}")
    para(
        doc,
        "Прошу зарегистрировать устав территориального общественного самоуправления "
        "«{{ tos_name }}», принятый {{ assembly.instr }} {{ meeting_date }} (протокол № 1).",
    )
    para(
        doc,
        "Территория ТОС: {{ territory_type }}; границы: {{ boundaries }}. Границы установлены "
        "решением от «___» ____________ 20__ г. № ______.",
    )
    para(doc, "{{ establishment.text }}{{ establishment.ref }}.")
    heading(doc, "Приложения")
    para(doc, "1. Устав ТОС «{{ tos_name }}» — 2 экз.", indent=False)
    para(doc, "2. Протокол {{ assembly.gen }} от {{ meeting_date }} № 1 — 1 экз.", indent=False)
    para(doc, "3. Лист регистрации участников {{ assembly.gen }} — 1 экз.", indent=False)
    para(
        doc,
        "4. Копия решения об установлении границ территории ТОС (при наличии) — 1 экз.",
        indent=False,
    )
    tag(doc, "{%p if is_conference %}")
    para(doc, "5. Протоколы собраний жителей об избрании делегатов конференции.", indent=False)
    tag(doc, "{%p endif %}")
    doc.add_paragraph()
    doc.add_paragraph("«___» ____________ 20__ г.          ______________ / {{ applicant_name }} /")


def boundaries_proposal(doc: DocumentObject) -> None:
    addressee(
        doc,
        "Кому: {{ boundaries_body.text }}",
        "{{ municipality }}, {{ region }}",
        "От: инициативной группы жителей",
        "(председатель — {{ initiative_chair }})",
    )
    title(doc, "ПРЕДЛОЖЕНИЕ", f"об установлении границ территории {TOS}")
    para(
        doc,
        "Инициативная группа жителей предлагает установить границы территории, на которой "
        "будет осуществляться территориальное общественное самоуправление «{{ tos_name }}» "
        "{% if boundaries_body.cite %} (основание: {{ boundaries_body.cite }}){% endif %}.",
    )
    labelled(doc, "Тип территории:", "{{ territory_type }}{{ territory_ref }}.")
    labelled(doc, "Описание границ:", "{{ boundaries }}.")
    labelled(
        doc,
        "Жителей, достигших {{ rules.min_age.value }}-летнего возраста:",
        "около {{ plan.residents }}.",
    )
    labelled(doc, "Учредительное мероприятие:", "{{ assembly.nom }}, {{ meeting_date }}.")
    heading(doc, "Инициативная группа")
    table(
        doc,
        ["№", "ФИО", "Подпись"],
        [1.2, 10.3, 5.0],
        ["{{ loop.index }}", "{{ person }}", ""],
        "person in initiative_group",
    )
    labelled(
        doc,
        "Контактное лицо:",
        "{{ applicant_name }}, тел. {{ applicant_phone }}.",
    )
    doc.add_paragraph("Приложение: схема границ территории (при наличии).")
    doc.add_paragraph("Дата: {{ today }}")


def checklist(doc: DocumentObject) -> None:
    title(doc, "ПАМЯТКА", "что осталось сделать для создания ТОС «{{ tos_name }}»")
    para(
        doc,
        "Составлена {{ today }} для инициативной группы; в органы не подаётся.",
        center=True,
    )

    heading(doc, "1. Установить границы территории")
    labelled(
        doc,
        "Что:",
        "предложение об установлении границ (файл 06), подписанное инициативной группой; "
        "схема границ, если есть.",
    )
    labelled(doc, "Куда:", "{{ boundaries_body.text }}{{ boundaries_body.ref }}.")
    labelled(doc, "Итог:", "решение об установлении границ территории ТОС.")

    heading(doc, "2. Оповестить жителей")
    labelled(
        doc,
        "Что:",
        "уведомление (файл 01) — на доски объявлений, в подъезды, в чаты дома. "
        "Срок оповещения — по акту муниципального образования.",
    )
    tag(doc, "{%p if is_conference %}")
    labelled(
        doc,
        "Делегаты:",
        "на собраниях жителей домов (подъездов, улиц) избрать делегатов — один от "
        "{{ residents_per_delegate }} жителей, всего около {{ plan.delegates }}, — и оформить "
        "протоколы их избрания (файл 08): в каждом — кто избран и сколько жителей представляет.",
    )
    tag(doc, "{%p endif %}")

    heading(doc, "3. Провести {{ assembly.acc }}")
    tag(doc, "{%p if is_conference %}")
    labelled(
        doc,
        "Кворум:",
        "не менее {{ rules.conference_delegates_quorum.value }} избранных делегатов"
        "{{ rules.conference_delegates_quorum.ref }} (если изберут всех {{ plan.delegates }} — "
        "не менее {{ plan.conference_quorum }} из них), представляющих не менее "
        "{{ plan.represented_minimum }} из {{ plan.residents }} жителей "
        "({{ rules.conference_represented_share.value }})"
        "{{ rules.conference_represented_share.ref }}.",
    )
    tag(doc, "{%p else %}")
    labelled(
        doc,
        "Кворум:",
        "не менее {{ plan.meeting_quorum }} из {{ plan.residents }} жителей "
        "({{ rules.meeting_quorum.value }}){{ rules.meeting_quorum.ref }}.",
    )
    tag(doc, "{%p endif %}")
    labelled(
        doc,
        "Взять с собой:",
        "лист регистрации (файл 02), проект протокола (файл 03), проект устава (файл 04)"
        "{% if is_conference %}, протоколы избрания делегатов (файл 08){% endif %}.",
    )
    labelled(doc, "Где и когда:", "{{ meeting_when }}, {{ meeting_place }}.")

    heading(doc, "4. Оформить протокол")
    para(
        doc,
        "Вписать число участников и итоги голосования по каждому вопросу; протокол "
        "подписывают председатель и секретарь.",
    )

    heading(doc, "5. Подать устав на регистрацию")
    labelled(
        doc,
        "Что:",
        "заявление (файл 05), устав — 2 экземпляра (файл 04), протокол (файл 03), "
        "лист регистрации (файл 02){% if is_conference %}, протоколы избрания делегатов"
        "{% endif %}.",
    )
    labelled(
        doc,
        "Куда:",
        "{{ registration_body.text }}, {{ municipality }}{{ registration_body.ref }}.",
    )
    labelled(
        doc,
        "Срок регистрации устава:",
        "{% if rules.registration_term_days.known %}{{ registration_term }}"
        "{{ rules.registration_term_days.ref }}{% else %}устанавливается уставом муниципального "
        "образования и (или) актами его представительного органа{{ registration_body.ref }}"
        "{% endif %}.",
    )
    labelled(doc, "Итог:", "{{ establishment.text }}{{ establishment.ref }}.")

    heading(doc, "6. По желанию: стать юридическим лицом")
    para(
        doc,
        "{{ legal_entity.text }}: документы подаются в территориальный орган Министерства "
        "юстиции Российской Федерации{{ legal_entity.ref }}.",
    )
    doc.add_paragraph()
    labelled(doc, "Правовая основа:", "{{ act }}.")


def delegates_minutes(doc: DocumentObject) -> None:
    """The minutes of one residents' meeting (a house, a stairwell, a street) that elects
    delegates to the founding conference; each part of the territory fills its own copy."""
    title(
        doc,
        "ПРОТОКОЛ № ____",
        "собрания жителей об избрании делегатов",
        "на {{ assembly.acc }} по созданию " + TOS,
    )
    para(doc, "{{ municipality }}, {{ region }}", center=True)
    labelled(doc, "Дата и время:", "«___» ____________ 20__ г., ___ ч ___ мин.")
    labelled(doc, "Место проведения:", "________________________________________")
    labelled(
        doc,
        "Часть территории ТОС (подъезд, дом, улица):",
        "________________________________________",
    )
    labelled(
        doc,
        "Жителей этой части территории, достигших {{ rules.min_age.value }}-летнего возраста:",
        "______.",
    )
    labelled(doc, "Присутствовали:", "______ жителей (лист регистрации — ниже).")
    labelled(
        doc,
        "Норма представительства:",
        "один делегат от {{ residents_per_delegate }} жителей; избрать делегатов: ______.",
    )
    heading(doc, "Избрание председателя и секретаря собрания")
    para(doc, f"Председатель: {BLANK}; секретарь: {BLANK}.", indent=False)
    para(doc, VOTES, indent=False)
    heading(doc, "Повестка дня")
    para(
        doc,
        "1. Об избрании делегатов на {{ assembly.acc }} по созданию ТОС «{{ tos_name }}», "
        "которая состоится {{ meeting_when }}, {{ meeting_place }}.",
        indent=False,
    )
    labelled(doc, "СЛУШАЛИ:", f"{BLANK} (ФИО).")
    paragraph = doc.add_paragraph()
    paragraph.add_run("РЕШИЛИ:").bold = True
    para(doc, "Избрать делегатами на {{ assembly.acc }}:")
    table(
        doc,
        ["№", "ФИО делегата", "Адрес (в границах ТОС)", "Представляет жителей"],
        [1.0, 6.5, 6.0, 3.0],
        ["{{ number }}", "", "", ""],
        "number in delegate_rows",
    )
    para(doc, VOTES, indent=False)
    doc.add_paragraph()
    signature(doc, "Председатель собрания:")
    signature(doc, "Секретарь собрания:")
    heading(doc, "Лист регистрации участников собрания")
    para(
        doc,
        "Подписью участник подтверждает, что достиг {{ rules.min_age.value }}-летнего "
        "возраста и проживает на этой части территории ТОС, а также соглашается на "
        "использование своих фамилии, имени, отчества и адреса для оформления документов о "
        "создании ТОС.",
    )
    table(
        doc,
        ["№", "ФИО", "Адрес", "Подпись"],
        [1.2, 6.0, 6.3, 3.0],
        ["{{ number }}", "", "", ""],
        "number in minutes_rows",
    )


# --- the TOS's annual forms (bot/services/tos_forms.py lists their variables) -------------

TOS_OF = "территориального общественного самоуправления «{{ tos_name }}»"


def approved_by(doc: DocumentObject, what: str) -> None:
    addressee(
        doc,
        what,
        "решением собрания (конференции) граждан",
        "от «___» ____________ 20__ г., протокол № ____",
    )


def money_table(doc: DocumentObject, rows: str, total: str, *, report: bool) -> None:
    """A numbered table of budget lines with a total row (the report: plan, fact and the
    difference)."""
    if report:
        table(
            doc,
            ["№", "Статья", "План, руб.", "Факт, руб.", "Отклонение, руб."],
            [1.0, 6.5, 3.0, 3.0, 3.0],
            [
                "{{ row.number }}",
                "{{ row.item }}",
                "{{ row.amount }}",
                "{{ row.actual }}",
                "{{ row.difference }}",
            ],
            f"row in {rows}",
        )
    else:
        table(
            doc,
            ["№", "Статья", "Сумма, руб."],
            [1.2, 11.3, 4.0],
            ["{{ row.number }}", "{{ row.item }}", "{{ row.amount }}"],
            f"row in {rows}",
        )
    labelled(doc, "Итого:", total)


def estimate(doc: DocumentObject) -> None:
    approved_by(doc, "УТВЕРЖДЕНА")
    title(doc, "СМЕТА", "доходов и расходов", TOS_OF, "на {{ year }} год")
    para(doc, "{{ municipality }}, {{ region }}", center=True)
    heading(doc, "1. Доходы")
    money_table(doc, "income", "{{ income_total }} руб.", report=False)
    heading(doc, "2. Расходы")
    money_table(doc, "expense", "{{ expense_total }} руб.", report=False)
    heading(doc, "3. Итог")
    labelled(doc, "Доходы:", "{{ income_total }} руб.")
    labelled(doc, "Расходы:", "{{ expense_total }} руб.")
    labelled(doc, "Остаток (доходы минус расходы):", "{{ balance }} руб.")
    para(
        doc,
        "Смета доходов и расходов ТОС утверждается собранием (конференцией) граждан"
        "{{ budget_ref }}. Совет ТОС распоряжается средствами в пределах сметы.",
    )
    doc.add_paragraph()
    signature(doc, "Председатель совета ТОС:")
    doc.add_paragraph("Дата составления: {{ today }}")


def estimate_report(doc: DocumentObject) -> None:
    approved_by(doc, "УТВЕРЖДЁН")
    title(
        doc,
        "ОТЧЁТ",
        "об исполнении сметы доходов и расходов",
        TOS_OF,
        "за {{ year }} год",
    )
    para(doc, "{{ municipality }}, {{ region }}", center=True)
    heading(doc, "1. Доходы")
    money_table(
        doc,
        "income",
        "план {{ income_total }} руб., факт {{ actual_income_total }} руб., отклонение "
        "{{ income_difference }} руб.",
        report=True,
    )
    heading(doc, "2. Расходы")
    money_table(
        doc,
        "expense",
        "план {{ expense_total }} руб., факт {{ actual_expense_total }} руб., отклонение "
        "{{ expense_difference }} руб.",
        report=True,
    )
    heading(doc, "3. Итог")
    labelled(doc, "Получено:", "{{ actual_income_total }} руб.")
    labelled(doc, "Израсходовано:", "{{ actual_expense_total }} руб.")
    labelled(doc, "Остаток на конец года:", "{{ actual_balance }} руб.")
    para(
        doc,
        "Отчёт об исполнении сметы доходов и расходов ТОС утверждается собранием "
        "(конференцией) граждан{{ budget_ref }}.",
    )
    doc.add_paragraph()
    signature(doc, "Председатель совета ТОС:")
    doc.add_paragraph("Дата составления: {{ today }}")


def activity_report(doc: DocumentObject) -> None:
    approved_by(doc, "УТВЕРЖДЁН")
    title(doc, "ОТЧЁТ", "о деятельности органов", TOS_OF, "за {{ year }} год")
    para(doc, "{{ municipality }}, {{ region }}", center=True)
    heading(doc, "1. Общие сведения")
    labelled(doc, "Территория ТОС:", "{{ territory_type }}; границы: {{ boundaries }}.")
    labelled(
        doc,
        "Устав ТОС зарегистрирован:",
        "{{ charter_date }}, регистрационный № {{ charter_number }}.",
    )
    labelled(doc, "Участников ТОС, объединившихся в боте ТОС:", "{{ members }}.")
    heading(doc, "2. Проделанная работа")
    tag(doc, "{%p for line in done %}")
    para(doc, "{{ loop.index }}. {{ line }}", indent=False)
    tag(doc, "{%p endfor %}")
    heading(doc, "3. Средства ТОС")
    tag(doc, "{%p if has_actual %}")
    para(
        doc,
        "По смете доходов и расходов на {{ year }} год запланировано доходов "
        "{{ income_total }} руб., расходов {{ expense_total }} руб.; фактически получено "
        "{{ actual_income_total }} руб., израсходовано {{ actual_expense_total }} руб. "
        "Отчёт об исполнении сметы представляется отдельно.",
    )
    tag(doc, "{%p elif has_estimate %}")
    para(
        doc,
        "По смете доходов и расходов на {{ year }} год запланировано доходов "
        "{{ income_total }} руб., расходов {{ expense_total }} руб.",
    )
    tag(doc, "{%p else %}")
    para(doc, "Смета доходов и расходов на {{ year }} год не составлялась.")
    tag(doc, "{%p endif %}")
    heading(doc, "4. Утверждение отчёта")
    para(
        doc,
        "Отчёт о деятельности органов ТОС рассматривается и утверждается собранием "
        "(конференцией) граждан{{ reports_ref }}.",
    )
    doc.add_paragraph()
    signature(doc, "Председатель совета ТОС:")
    doc.add_paragraph("Дата составления: {{ today }}")


def minutes(doc: DocumentObject) -> None:
    """The minutes of an ordinary or extraordinary meeting or conference of the TOS's
    citizens, with its quorum as counted and the agenda chosen in the chat."""
    title(doc, "ПРОТОКОЛ № ____", "{{ kind }}", TOS_OF)
    para(doc, "{{ municipality }}, {{ region }}", center=True)
    labelled(doc, "Дата проведения:", "{{ meeting_date }}.")
    labelled(doc, "Место проведения:", "{{ meeting_place }}.")
    labelled(
        doc,
        "Жителей территории ТОС, достигших {{ min_age }}-летнего возраста:",
        "{{ residents }}.",
    )
    tag(doc, "{%p if is_conference %}")
    labelled(doc, "Избрано делегатов на собраниях граждан:", "{{ elected }}.")
    labelled(
        doc,
        "Присутствовали:",
        "{{ present }} делегатов (по листу регистрации), представляющих {{ represented }} жителей.",
    )
    para(
        doc,
        "Конференция правомочна, если в ней принимают участие не менее "
        "{{ delegates_value }} избранных делегатов{{ delegates_ref }} (не менее {{ needed }}), "
        "представляющих не менее {{ represented_value }} жителей территории ТОС"
        "{{ represented_ref }} (не менее {{ needed_represented }}). Кворум имеется.",
    )
    tag(doc, "{%p else %}")
    labelled(doc, "Присутствовали:", "{{ present }} жителей (по листу регистрации).")
    para(
        doc,
        "Собрание правомочно, если в нём принимают участие не менее {{ quorum_value }} "
        "жителей территории ТОС{{ quorum_ref }}, то есть не менее {{ needed }}. Кворум имеется.",
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Избрание председателя и секретаря")
    para(doc, f"Председатель: {BLANK}; секретарь: {BLANK}.", indent=False)
    para(doc, VOTES, indent=False)
    heading(doc, "Повестка дня")
    tag(doc, "{%p for item in agenda %}")
    para(doc, "{{ item.number }}. {{ item.title }}", indent=False)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if powers_ref %}")
    para(
        doc,
        "Вопросы повестки дня относятся к исключительным полномочиям собрания (конференции) "
        "граждан{{ powers_ref }}.",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for item in agenda %}")
    heading(doc, "{{ item.number }}. {{ item.title }}")
    labelled(doc, "СЛУШАЛИ:", f"{BLANK} (ФИО).")
    paragraph = doc.add_paragraph()
    paragraph.add_run("РЕШИЛИ:").bold = True
    para(doc, "{{ item.decision }}")
    para(doc, VOTES, indent=False)
    tag(doc, "{%p endfor %}")
    doc.add_paragraph()
    signature(doc, "Председатель:")
    signature(doc, "Секретарь:")
    doc.add_paragraph()
    doc.add_paragraph("Приложение: лист регистрации участников.")


TEMPLATES: dict[str, tuple[str, Callable[[DocumentObject], None]]] = {
    "notice.docx": ("Уведомление об учредительном собрании (конференции) граждан", notice),
    "registration_sheet.docx": ("Лист регистрации участников", registration_sheet),
    "protocol.docx": ("Протокол учредительного собрания (конференции) граждан", protocol),
    "charter.docx": ("Устав ТОС", charter),
    "application.docx": ("Заявление о регистрации устава ТОС", application),
    "boundaries_proposal.docx": ("Предложение об установлении границ ТОС", boundaries_proposal),
    "checklist.docx": ("Памятка: что осталось сделать", checklist),
    "delegates_minutes.docx": (
        "Протокол собрания жителей об избрании делегатов",
        delegates_minutes,
    ),
    "estimate.docx": ("Смета доходов и расходов ТОС", estimate),
    "estimate_report.docx": ("Отчёт об исполнении сметы доходов и расходов ТОС", estimate_report),
    "activity_report.docx": ("Отчёт о деятельности органов ТОС", activity_report),
    "minutes.docx": ("Протокол собрания (конференции) граждан", minutes),
}


def build(name: str) -> bytes:
    doc_title, fill = TEMPLATES[name]
    doc = new_document(doc_title)
    fill(doc)
    buffer = BytesIO()
    doc.save(buffer)
    return stable_zip(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    output: Path = args.output
    output.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATES:
        (output / name).write_bytes(build(name))
        print(output / name)


if __name__ == "__main__":
    main()
