"""The address model: learning habits, guessing, collisions, outcomes, calibration."""

from __future__ import annotations

import pytest

from partnernet.engines.addresses import AddressModel, Calibration, KnownAddress
from partnernet.engines.addresses.synthetic import generate_companies

BOOK = [
    ("firma.ru", "Шинкарев Борис Петрович", "b.shinkarev@firma.ru"),
    ("firma.ru", "Горскин Павел", "p.gorskin@firma.ru"),
    ("firma.ru", "Цыганов Роман Ильич", "r.tsyganov@firma.ru"),
]


def emails(model: AddressModel, domain: str, name: str, top: int = 3) -> list[str]:
    return [c.email for c in model.guess(domain, name, top=top)]


def test_the_books_example() -> None:
    model = AddressModel.learn(BOOK)
    best = model.guess("firma.ru", "Андрей Тарасенко")[0]
    assert best.email == "a.tarasenko@firma.ru"
    assert best.pattern == "{f}.{last}"
    assert best.confidence > 0.8
    assert "3 of 3 known addresses" in best.explanation


def test_accepts_records_in_three_shapes() -> None:
    shapes = [
        KnownAddress(*BOOK[0]),
        dict(zip(("domain", "full_name", "email"), BOOK[1], strict=True)),
        BOOK[2],
    ]
    model = AddressModel.learn(shapes)
    assert model.summary("firma.ru").known == 3


def test_learns_the_transliteration_habit() -> None:
    passports = [
        ("icao.ru", "Хабарова Юлия", "iuliia.khabarova@icao.ru"),
        ("icao.ru", "Цой Андрей", "andrei.tsoi@icao.ru"),
        ("icao.ru", "Ильин Сергей", "sergei.ilin@icao.ru"),
    ]
    informal = [
        ("old.ru", "Хабарова Юлия", "yuliya.khabarova@old.ru"),
        ("old.ru", "Цой Андрей", "andrey.tsoy@old.ru"),
        ("old.ru", "Ильин Сергей", "sergey.ilin@old.ru"),
    ]
    model = AddressModel.learn(passports + informal)
    assert emails(model, "icao.ru", "Евгений Щукин")[0] == "evgenii.shchukin@icao.ru"
    assert emails(model, "old.ru", "Евгений Щукин")[0] in {
        "evgeniy.shchukin@old.ru",
        "yevgeniy.shchukin@old.ru",
    }
    best = model.guess("icao.ru", "Евгений Щукин")[0]
    assert "ICAO" in best.explanation


def test_x_for_ks_is_learned() -> None:
    model = AddressModel.learn(
        [
            ("x.ru", "Максимов Алексей", "alexey.maximov@x.ru"),
            ("x.ru", "Аксёнова Ксения", "xenia.axenova@x.ru"),
            ("x.ru", "Петров Иван", "ivan.petrov@x.ru"),
        ]
    )
    assert emails(model, "x.ru", "Александр Иванов")[0] == "alexandr.ivanov@x.ru"


def test_evidence_is_spread_over_equal_explanations() -> None:
    # «a.tarasenko» is spelt alike by every scheme: it must not move the domain's scheme shares.
    base = [
        ("a.ru", "Иванов Иван", "i.ivanov@a.ru"),
        ("b.ru", "Петров Пётр", "p.petrov@b.ru"),
    ]
    model = AddressModel.learn([*base, ("c.ru", "Тарасенко Андрей", "a.tarasenko@c.ru")])
    learned = dict(model.summary("c.ru", top=20).schemes)
    prior = dict(model.summary("unknown.ru", top=20).schemes)
    for scheme, share in prior.items():
        assert learned[scheme] == pytest.approx(share, abs=0.02)


def test_role_mailboxes_and_strangers_are_ignored() -> None:
    model = AddressModel.learn(
        [
            *BOOK,
            ("firma.ru", "Иванов Пётр Сергеевич", "info@firma.ru"),
            ("firma.ru", "Отдел закупок", "zakupki@firma.ru"),
            ("firma.ru", "Сидоров Олег", "boss1975@firma.ru"),
        ]
    )
    summary = model.summary("firma.ru")
    assert (summary.known, summary.role_mailboxes, summary.unexplained) == (3, 2, 1)
    assert emails(model, "firma.ru", "Андрей Тарасенко")[0] == "a.tarasenko@firma.ru"


def test_digit_suffixed_addresses_still_teach_the_pattern() -> None:
    model = AddressModel.learn(
        [
            ("d.ru", "Иванов Андрей", "ivanov.a2@d.ru"),
            ("d.ru", "Петров Сергей", "petrov.s@d.ru"),
        ]
    )
    assert model.summary("d.ru").patterns[0][0] == "{last}.{f}"


def test_collision_with_a_namesake() -> None:
    records = [*BOOK, ("firma.ru", "Тарасенко Алла Петровна", "a.tarasenko@firma.ru")]
    model = AddressModel.learn(records)
    with_patronymic = emails(model, "firma.ru", "Тарасенко Андрей Викторович")
    assert "a.tarasenko@firma.ru" not in with_patronymic
    assert set(with_patronymic[:2]) == {"a.v.tarasenko@firma.ru", "a.tarasenko2@firma.ru"}
    without = model.guess("firma.ru", "Тарасенко Андрей")
    assert without[0].email == "a.tarasenko2@firma.ru"
    assert "belongs to someone else" in without[0].explanation
    # No patronymic in the record: the namesake variant is tried with the commonest initials.
    assumed = [c for c in without[1:] if "patronymic initial taken as" in c.explanation]
    assert {c.email for c in assumed} <= {f"a.{p}.tarasenko@firma.ru" for p in "avsnim"}
    assert len(assumed) == 2


@pytest.mark.parametrize(
    ("precedent", "expected"),
    [
        (("Иванов Иван Петрович", "i.ivanov2@firma.ru"), "a.tarasenko2@firma.ru"),
        (("Иванов Иван Петрович", "i.p.ivanov@firma.ru"), "a.v.tarasenko@firma.ru"),
    ],
)
def test_the_domains_way_with_namesakes_is_learned(
    precedent: tuple[str, str], expected: str
) -> None:
    records = [
        *BOOK,
        ("firma.ru", "Тарасенко Алла Петровна", "a.tarasenko@firma.ru"),
        ("firma.ru", "Иванов Игорь Сергеевич", "i.ivanov@firma.ru"),
        ("firma.ru", *precedent),
    ]
    model = AddressModel.learn(records)
    assert emails(model, "firma.ru", "Тарасенко Андрей Викторович")[0] == expected


def test_a_known_person_gets_the_known_address_first() -> None:
    model = AddressModel.learn(BOOK)
    full = model.guess("firma.ru", "Борис Петрович Шинкарев")
    assert full[0].email == "b.shinkarev@firma.ru"
    assert full[0].confidence == pytest.approx(0.9)
    short = model.guess("firma.ru", "Шинкарев Борис")
    assert short[0].email == "b.shinkarev@firma.ru"
    assert short[0].confidence == pytest.approx(0.5)
    # If it is a namesake after all, the next candidate is the collision variant.
    assert short[1].email == "b.shinkarev2@firma.ru"
    assert emails(model, "firma.ru", "Шинкарев Борис", top=1) == ["b.shinkarev@firma.ru"]


@pytest.mark.parametrize(("same_address", "known_first"), [(True, True), (False, False)])
def test_the_register_shows_whether_a_known_name_is_the_same_person(
    same_address: bool, known_first: bool
) -> None:
    """Pairs of records of one name at one domain: one address (duplicates) or two (namesakes)."""
    records = list(BOOK)
    for i, (last, spelt) in enumerate(
        [("Орлов", "orlov"), ("Котов", "kotov"), ("Титов", "titov"), ("Попов", "popov")] * 2
    ):
        domain = f"d{i}.ru"
        records.append((domain, f"{last} Иван Петрович", f"i.{spelt}@{domain}"))
        if same_address:  # the same person entered twice, once without the patronymic
            records.append((domain, f"{last} Иван", f"i.{spelt}@{domain}"))
        else:
            records.append((domain, f"{last} Иван Олегович", f"i.{spelt}2@{domain}"))
    model = AddressModel.learn(records)
    short = model.guess("firma.ru", "Шинкарев Борис")
    assert (short[0].email == "b.shinkarev@firma.ru") is known_first
    assert "b.shinkarev@firma.ru" in [c.email for c in short]
    assert [c.rank for c in short] == [1, 2, 3]
    assert short[0].confidence >= short[1].confidence


def test_unknown_domain_uses_the_registers_habit() -> None:
    records = []
    for i in range(6):
        records += [
            (f"d{i}.ru", "Иванов Иван", f"ivan_ivanov@d{i}.ru"),
            (f"d{i}.ru", "Петров Пётр", f"petr_petrov@d{i}.ru"),
        ]
    model = AddressModel.learn(records)
    best = model.guess("new.ru", "Сергей Соколов")[0]
    assert best.email == "sergey_sokolov@new.ru"
    assert "no known addresses at new.ru" in best.explanation
    # Fewer known addresses, less certainty.
    assert best.confidence < model.guess("d0.ru", "Сергей Соколов")[0].confidence


def test_rejection_moves_the_model() -> None:
    model = AddressModel.learn([("r.ru", "Иванов Иван", "ivanov@r.ru")])
    first = model.guess("r.ru", "Сергей Соколов")
    assert first[0].email == "sokolov@r.ru"
    model.record_outcome("r.ru", "Сергей Соколов", "sokolov@r.ru", confirmed=False)
    again = model.guess("r.ru", "Сергей Соколов")
    assert "sokolov@r.ru" not in [c.email for c in again]
    # The pattern lost weight for everyone at the domain, not just for that person.
    other_before = AddressModel.learn([("r.ru", "Иванов Иван", "ivanov@r.ru")]).guess(
        "r.ru", "Олег Котов"
    )[0]
    other_after = model.guess("r.ru", "Олег Котов")[0]
    assert other_after.email == other_before.email == "kotov@r.ru"
    assert other_after.confidence < other_before.confidence


def test_confirmation_teaches_the_domain() -> None:
    model = AddressModel.learn(BOOK)
    assert model.guess("new.ru", "Олег Котов")[0].confidence < 0.6
    model.record_outcome("new.ru", "Сергей Соколов", "sokolov.sergey@new.ru", confirmed=True)
    model.add_known("new.ru", "Анна Белова", "belova.anna@new.ru")
    best = model.guess("new.ru", "Олег Котов")[0]
    assert best.email == "kotov.oleg@new.ru"
    assert best.confidence > 0.6


def test_missing_patronymic_is_completed_with_common_initials() -> None:
    model = AddressModel.learn(
        [
            ("p.ru", "Иванов Андрей Викторович", "ivanovav@p.ru"),
            ("p.ru", "Петров Сергей Александрович", "petrovsa@p.ru"),
            ("p.ru", "Сидорова Анна Владимировна", "sidorovaav@p.ru"),
        ]
    )
    guesses = model.guess("p.ru", "Котов Олег", top=3)
    assert all(g.email.startswith("kotovo") for g in guesses)
    assert {g.email for g in guesses} >= {"kotovoa@p.ru", "kotovov@p.ru"}
    assert "patronymic initial taken as" in guesses[0].explanation


def test_first_name_completed_from_an_initial() -> None:
    model = AddressModel.learn(
        [
            ("n.ru", "Иванова Мария", "mariya@n.ru"),
            ("n.ru", "Петров Сергей", "sergey@n.ru"),
            ("n.ru", "Козлов Сергей", "sergey2@n.ru"),
            ("other.ru", "Сергеев Сергей", "s.sergeev@other.ru"),
        ]
    )
    best = model.guess("n.ru", "Котов С.А.")[0]
    assert best.email.startswith("s")
    assert "first name taken as" in best.explanation


def test_latin_names() -> None:
    model = AddressModel.learn([*BOOK, ("firma.ru", "Andrey Tarasenko", "a.tarasenko@firma.ru")])
    assert model.summary("firma.ru").known == 4
    assert emails(model, "firma.ru", "Ivan Petrov")[0] == "i.petrov@firma.ru"


def test_confidences_are_probabilities() -> None:
    model = AddressModel.learn(BOOK)
    guesses = model.guess("firma.ru", "Евгений Щукин", top=100)
    total = sum(g.confidence for g in guesses)
    assert 0 < total <= 1.0 + 1e-6
    assert [g.rank for g in guesses] == list(range(1, len(guesses) + 1))
    assert guesses == sorted(guesses, key=lambda g: -g.confidence)


def test_unparseable_names_get_no_guess() -> None:
    model = AddressModel.learn(BOOK)
    assert model.guess("firma.ru", "") == []
    assert model.guess("firma.ru", "---") == []


def test_calibration_is_monotone() -> None:
    pairs = [(p / 100, p % 3 != 0 and p > 40) for p in range(100)]
    calibration = Calibration.fit(pairs)
    values = [calibration(p / 50) for p in range(51)]
    assert values == sorted(values)
    assert all(0.0 <= v <= 1.0 for v in values)
    assert Calibration()(0.37) == pytest.approx(0.37)


def test_quality_on_synthetic_companies() -> None:
    companies = generate_companies(150, seed=11)
    model = AddressModel.learn([r for c in companies for r in c.known])
    top1 = top3 = n = 0
    for company in companies:
        if company.known_people < 3:
            continue
        for domain, name, email in company.held_out:
            got = emails(model, domain, name)
            n += 1
            top1 += got[:1] == [email]
            top3 += email in got
    assert n > 100
    assert top1 / n > 0.7
    assert top3 / n > 0.85


def test_an_empty_register_still_guesses_and_learns() -> None:
    model = AddressModel.learn([])
    first = model.guess("x.ru", "Иван Петров")
    assert first[0].email == "i.petrov@x.ru"
    assert "built-in starting share" in first[0].explanation
    assert first[0].confidence < 0.5
    model.add_known("x.ru", "Пётр Иванов", "petr.ivanov@x.ru")
    assert model.guess("x.ru", "Олег Котов")[0].email == "oleg.kotov@x.ru"


def test_calibration_learns_a_known_distortion() -> None:
    # Outcomes happen with probability p**2 while the model says p: the map must bend down.
    import random

    rng = random.Random(1)
    pairs = [(p, rng.random() < p * p) for p in (rng.random() for _ in range(20_000))]
    calibration = Calibration.fit(pairs)
    for p in (0.3, 0.5, 0.8):
        assert calibration(p) == pytest.approx(p * p, abs=0.06)
    assert calibration(1.0) <= 1.0


def test_many_rejections_keep_the_model_sound() -> None:
    # Rejected guesses for several people, and a known address that later bounced (the person
    # left): the fit must stay a probability distribution and every guess must rank.
    companies = generate_companies(60, seed=99)
    for company in companies[:25]:
        known = list(company.known)
        rejected = []
        base = AddressModel.learn(known)
        for domain, name, email in company.held_out:
            rejected += [
                (domain, name, c.email) for c in base.guess(domain, name) if c.email != email
            ]
        rejected += known[:1]
        model = AddressModel.learn(known, rejected=rejected)
        for domain, name, _email in company.held_out + known[:2]:
            guesses = model.guess(domain, name, top=4)
            assert guesses
            assert all(0.0 <= g.confidence <= 1.0 for g in guesses)
            assert not {g.email for g in guesses} & {r[2] for r in rejected if r[1] == name}


def _alias_register(sasha_users: int) -> list[tuple[str, str, str]]:
    """Domains with the {f}.{last} habit where some Александры go by «sasha»."""
    surnames = [
        ("Иванов", "ivanov"),
        ("Петров", "petrov"),
        ("Смирнов", "smirnov"),
        ("Козлов", "kozlov"),
        ("Орлов", "orlov"),
        ("Волков", "volkov"),
        ("Зайцев", "zaitsev"),
        ("Титов", "titov"),
    ]
    records = []
    for i, (last, spelt) in enumerate(surnames):
        domain = f"d{i}.ru"
        records.append((domain, f"{last} Олег", f"o.{spelt}@{domain}"))
        records.append((domain, f"{last}а Анна", f"a.{spelt}a@{domain}"))
        local = "sasha.borisov" if i < sasha_users else "a.borisov"
        records.append((domain, "Борисов Александр", f"{local}@{domain}"))
    return records


def test_learns_first_name_aliases_from_the_register() -> None:
    model = AddressModel.learn(_alias_register(sasha_users=4))
    candidates = model.guess("d7.ru", "Александр Титов", top=3)
    by_email = {c.email: c for c in candidates}
    assert candidates[0].email == "a.titov@d7.ru"
    assert "sasha.titov@d7.ru" in by_email
    alias = by_email["sasha.titov@d7.ru"]
    assert "sasha" in alias.explanation and "Александр" in alias.explanation
    assert alias.confidence < candidates[0].confidence
    # People of other names get no alias, and their own spelling is not scaled down by it.
    assert not any("sasha" in e for e in emails(model, "d7.ru", "Олег Титов", top=5))


def test_an_alias_seen_once_is_not_offered() -> None:
    model = AddressModel.learn(_alias_register(sasha_users=1))
    assert not any("sasha" in e for e in emails(model, "d7.ru", "Александр Титов", top=5))


def _julia_register(julias: int) -> list[tuple[str, str, str]]:
    """{f}.{last} companies writing ю as iu (Юрий → i.…) where some Юлии go by «julia»."""
    records = []
    for i, (last, spelt) in enumerate(
        [
            ("Иванова", "ivanova"),
            ("Петрова", "petrova"),
            ("Смирнова", "smirnova"),
            ("Козлова", "kozlova"),
        ]
    ):
        domain = f"j{i}.ru"
        records.append((domain, "Орлов Олег", f"o.orlov@{domain}"))
        records.append((domain, "Юрий Титов", f"i.titov@{domain}"))
        records.append((domain, "Анна Волкова", f"a.volkova@{domain}"))
        local = f"julia.{spelt}" if i < julias else f"i.{spelt}"
        records.append((domain, f"Юлия {last}", f"{local}@{domain}"))
    return records


def test_own_first_name_forms_are_learned_whatever_the_companys_habit() -> None:
    """«julia» is spelt by ear (ю as ju), so it is no unexplained alias; but at companies where
    no colleague writes {first}.{last} and ю is iu, it is the person's own form of her name."""
    model = AddressModel.learn(_julia_register(julias=3))
    guessed = emails(model, "j3.ru", "Юлия Зайцева")
    assert guessed[0] == "i.zaitseva@j3.ru"
    assert "julia.zaitseva@j3.ru" in guessed
    assert model._domain_params("j0.ru").by_ear < 0.5
    once = AddressModel.learn(_julia_register(julias=1))
    assert "julia.zaitseva@j3.ru" not in emails(once, "j3.ru", "Юлия Зайцева", top=5)


@pytest.mark.parametrize(("money", "passport", "expected"), [(6, 2, "andrei"), (2, 6, "andrey")])
def test_unseen_letters_follow_the_registers_habits_consistent_with_the_domain(
    money: int, passport: int, expected: str
) -> None:
    """A domain shows ю as ``yu`` and no й: its й is what the register's ``yu`` habits write."""
    records = []
    for i in range(money):  # Yandex.Money: evgenii, schukin, yuliya
        records += [
            (f"m{i}.ru", "Щукин Евгений", f"evgenii.schukin@m{i}.ru"),
            (f"m{i}.ru", "Юлия Котова", f"yuliya.kotova@m{i}.ru"),
        ]
    for i in range(passport):  # MVD 310: evgeniy, shchukin, yuliya
        records += [
            (f"p{i}.ru", "Щукин Евгений", f"evgeniy.shchukin@p{i}.ru"),
            (f"p{i}.ru", "Юлия Котова", f"yuliya.kotova@p{i}.ru"),
        ]
    records += [
        ("t.ru", "Юлия Орлова", "yuliya.orlova@t.ru"),
        ("t.ru", "Олег Титов", "oleg.titov@t.ru"),
    ]
    model = AddressModel.learn(records)
    assert emails(model, "t.ru", "Андрей Попов")[0] == f"{expected}.popov@t.ru"
    # Its ю stays pinned whatever the register prefers.
    assert emails(model, "t.ru", "Юрий Попов")[0].startswith("yu")


BY_EAR = [
    ("ear.ru", "Иванова Юлия", "yulia.ivanova@ear.ru"),
    ("ear.ru", "Петрова Татьяна", "tatyana.petrova@ear.ru"),
    ("ear.ru", "Орлов Сергей", "sergey.orlov@ear.ru"),
    ("ear.ru", "Ильина Мария", "maria.ilina@ear.ru"),
    ("ear.ru", "Соколов Дмитрий", "dmitriy.sokolov@ear.ru"),
]


def test_a_company_typing_by_ear_is_learned_rule_by_rule() -> None:
    """«yulia» next to «tatyana»: no scheme writes both, each rule is learned on its own."""
    model = AddressModel.learn(BY_EAR + BOOK)
    assert model._domain_params("ear.ru").by_ear > 0.5
    assert model._domain_params("firma.ru").by_ear < 0.5
    best = model.guess("ear.ru", "Анастасия Смирнова")[0]
    assert best.email == "anastasia.smirnova@ear.ru"
    assert "letter by letter" in best.explanation
    assert model.summary("ear.ru").known == len(BY_EAR)
    assert emails(model, "ear.ru", "Юрий Котов")[0] == "yuriy.kotov@ear.ru"


def test_by_ear_addresses_are_not_unexplained() -> None:
    model = AddressModel.learn(BY_EAR)
    assert model.summary("ear.ru").unexplained == 0


def _register(monkeypatch: pytest.MonkeyPatch, by_ear: float, *, deviants: bool) -> AddressModel:
    from partnernet.engines.addresses import synthetic

    monkeypatch.setattr(synthetic, "BY_EAR_COMPANIES", by_ear)
    if not deviants:
        monkeypatch.setattr(synthetic, "PERSONAL_SPELLING", 0.0)
        monkeypatch.setattr(synthetic, "_NICKNAMES", {})
    companies = synthetic.generate_companies(300, seed=5)
    return AddressModel.learn([r for c in companies for r in c.known])


def test_the_share_of_by_ear_companies_is_chosen_by_leave_one_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No by-ear typists and no one's own spelling: the share is nil, not its starting 0.2."""
    assert _register(monkeypatch, 0.0, deviants=False).by_ear_share <= 0.01
    half = _register(monkeypatch, 0.5, deviants=False).by_ear_share
    assert 0.3 <= half <= 0.7


ICAO_WITH_A_JULIA = [
    ("icao.ru", "Цветкова Анна", "anna.tsvetkova@icao.ru"),
    ("icao.ru", "Хабаров Олег", "oleg.khabarov@icao.ru"),
    ("icao.ru", "Жуков Иван", "ivan.zhukov@icao.ru"),
    ("icao.ru", "Кузнецова Юлия", "julia.kuznetsova@icao.ru"),  # her own, Western spelling
]


def test_one_persons_own_spelling_does_not_make_a_company_type_by_ear() -> None:
    """Only «julia» is spelt by no scheme: the company is not read as typing by ear, and her
    letters are not copied onto the next Юлия."""
    model = AddressModel.learn(ICAO_WITH_A_JULIA + BY_EAR + BOOK)
    assert model._domain_params("ear.ru").by_ear > 0.5
    assert model._domain_params("icao.ru").by_ear < 0.5
    assert emails(model, "icao.ru", "Юлия Орлова")[0] != "julia.orlova@icao.ru"


def test_initials_teach_the_letter_they_show() -> None:
    """``y.ivanova`` for Юлия shows ю written as yu; the surname's plain initial shows nothing."""
    from partnernet.engines.addresses.infer import _rule_lookup
    from partnernet.engines.addresses.rules import RULE_NAMES, RULE_OPTIONS
    from partnernet.engines.names.person import parse_person_name

    name = parse_person_name("Иванова Юлия")
    assert name is not None
    lookup = _rule_lookup(name)
    assert [(RULE_NAMES[r], RULE_OPTIONS[r][k]) for r, k in lookup[("f", "y")]] == [("ю", "yu")]
    assert lookup[("l", "i")] == ()
