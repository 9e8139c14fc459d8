"""Controlled vocabularies: partner levels, specialisations and customer sectors.

Lists write these in many ways ("Gold", "Золотой партнёр", "Tier 1"; "ИБ", "Information
security"). The keys here are the ones the register seeds its Specialisation and Sector tables
with; users can add rows there, matched by name.
"""

from __future__ import annotations

import re

# Normalised rank of a partner level: 5 is the top of a typical four/five-tier programme.
LEVEL_RANKS: tuple[tuple[int, str], ...] = (
    (
        5,
        r"platinum|платин|diamond|бриллиант|titanium|титан|elite|элит|premier|премьер|vip|"
        r"global|глобальн|strategic|стратегическ",
    ),
    (4, r"gold|золот|expert|эксперт|premium|премиум|principal"),
    (
        3,
        r"silver|серебр|advanced|professional|профессионал|specialist|специализирован|"
        r"preferred|продвинут",
    ),
    (
        2,
        r"bronze|бронз|authori[sz]ed|авторизован|certified|сертифицирован|select|"
        r"solution provider|value added|var\b",
    ),
    (
        1,
        r"registered|зарегистрирован|member|участник|basic|базов|entry|начальн|affiliate|"
        r"reseller|реселлер|партнер|partner",
    ),
)
_LEVEL_RE = tuple((rank, re.compile(pattern)) for rank, pattern in LEVEL_RANKS)
_TIER_RE = re.compile(r"(?:tier|level|уровень|tier-|категори\w*)\s*([1-5])\b|^([1-5])$")

SPECIALISATIONS: dict[str, tuple[str, str, str]] = {
    # key: (Russian name, English name, keyword pattern)
    "computer_hardware": (
        "Компьютерное оборудование",
        "Computer hardware",
        r"компьютер|сервер|server|hardware|рабоч\w* станц|workstation|ноутбук|laptop|"
        r"вычислительн|пк\b|\bpc\b|печат|print",
    ),
    "virtualisation": (
        "Виртуализация",
        "Virtualisation",
        r"виртуализ|virtuali[sz]|vmware|\bvdi\b|гиперконверг|hyperconverg|hci\b",
    ),
    "audio_video": (
        "Аудио-видео-презентационное оборудование",
        "Audio-video-presentation",
        r"аудио|видео|audio|video|\bav\b|презентац|presentation|вкс|конференц|проектор|"
        r"projector|display|дисплей",
    ),
    "iot": ("Интернет вещей", "IoT", r"\biot\b|интернет вещей|internet of things|m2m|iiot"),
    "networking": (
        "Сетевое оборудование",
        "Networking",
        r"сет[еьи]|сетев|network|\blan\b|\bwan\b|wi ?fi|коммутац|switch|rout|маршрутиз|sd wan",
    ),
    "information_security": (
        "Информационная безопасность",
        "Information security",
        r"безопасн|security|\bиб\b|защит|cyber|кибер|\bdlp\b|siem|firewall|межсетев|антивирус|"
        r"antivirus",
    ),
    "complex_solutions": (
        "Комплексные решения для предприятий",
        "Complex enterprise solutions",
        r"комплексн|системн\w* интеграц|system integrat|enterprise solution|\berp\b|\bcrm\b|"
        r"внедрени|integration",
    ),
    "storage": (
        "Системы хранения данных",
        "Storage",
        r"\bсхд\b|хранени|storage|backup|резервн\w* копир|\bsan\b|\bnas\b",
    ),
    "cloud": ("Облачные решения", "Cloud", r"облак|облачн|cloud|\bsaas\b|\biaas\b|\bpaas\b"),
}

SECTORS: dict[str, tuple[str, str, str, str]] = {
    # key: (kind, Russian name, English name, keyword pattern)
    "enterprise": (
        "segment",
        "Крупный бизнес (Enterprise)",
        "Enterprise",
        r"enterprise|крупн|корпоратив|large",
    ),
    "smb": (
        "segment",
        "Малый и средний бизнес (SMB)",
        "SMB",
        r"\bsmb\b|\bsme\b|\bмсб\b|\bсмб\b|"
        r"мал\w* и средн|малый|средний бизнес|small",
    ),
    "public": (
        "segment",
        "Государственный сектор",
        "Public sector",
        r"государств|\bгос|public|government|бюджет|муницип",
    ),
    "oil_gas": ("vertical", "Нефть и газ", "Oil and gas", r"нефт|газов|\bгаз\b|oil|\bgas\b"),
    "energy": ("vertical", "Энергетика", "Energy and utilities", r"энергет|energy|utilit|жкх"),
    "healthcare": (
        "vertical",
        "Медицина",
        "Healthcare",
        r"медицин|здравоохран|health|medic|больниц|clinic|клиник",
    ),
    "retail": ("vertical", "Розничная торговля", "Retail", r"ритейл|розни|торгов|retail"),
    "finance": (
        "vertical",
        "Финансы и страхование",
        "Finance and insurance",
        r"банк|финанс|страхов|bank|financ|insurance",
    ),
    "telecom": ("vertical", "Телеком", "Telecom", r"телеком|telecom|связ|оператор|operator"),
    "manufacturing": (
        "vertical",
        "Промышленность",
        "Manufacturing",
        r"промышлен|производств|manufactur|industr|завод",
    ),
    "education": ("vertical", "Образование", "Education", r"образован|education|вуз|школ|univers"),
    "transport": (
        "vertical",
        "Транспорт и логистика",
        "Transport and logistics",
        r"транспорт|логист|transport|logist",
    ),
}

_SPEC_RE = {key: re.compile(spec[2]) for key, spec in SPECIALISATIONS.items()}
_SECTOR_RE = {key: re.compile(sector[3]) for key, sector in SECTORS.items()}
_SPLIT = re.compile(r"[;,/|\n]+|\s+и\s+|\s+and\s+")


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower().replace("ё", "е")).split())


def level_rank(level: str) -> int:
    """Normalised rank 1–5 of a partner level as written; 0 when not recognised.

    >>> level_rank("Gold Partner"), level_rank("Серебряный партнёр"), level_rank("Tier 1")
    (4, 3, 5)
    >>> level_rank("что-то")
    0
    """
    text = _fold(level)
    if not text:
        return 0
    tier = _TIER_RE.search(text)
    if tier:
        return 6 - int(tier.group(1) or tier.group(2))
    for rank, pattern in _LEVEL_RE:
        if pattern.search(text):
            return rank
    return 0


def _keys(text: str, patterns: dict[str, re.Pattern[str]]) -> tuple[list[str], list[str]]:
    found: list[str] = []
    unknown: list[str] = []
    for part in _SPLIT.split(text):
        folded = _fold(part)
        if not folded:
            continue
        hits = [key for key, pattern in patterns.items() if pattern.search(folded)]
        for key in hits:
            if key not in found:
                found.append(key)
        if not hits:
            unknown.append(part.strip())
    return found, unknown


def specialisation_keys(text: str) -> tuple[list[str], list[str]]:
    """Specialisation keys named in a cell, and the parts not recognised.

    >>> specialisation_keys("Сетевое оборудование; ИБ, СХД и облака")
    (['networking', 'information_security', 'storage', 'cloud'], [])
    """
    return _keys(text, _SPEC_RE)


def sector_keys(text: str) -> tuple[list[str], list[str]]:
    """Customer-sector keys named in a cell, and the parts not recognised.

    >>> sector_keys("Enterprise, нефтегаз; ритейл")
    (['enterprise', 'oil_gas', 'retail'], [])
    """
    return _keys(text, _SECTOR_RE)
