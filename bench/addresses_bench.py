"""Address inference benchmark: partnernet vs the book's method vs a Hunter-style finder.

Synthetic companies (``partnernet.engines.addresses.synthetic``) carry their true pattern and
transliteration habit. Every company's known addresses form the register; two more people per
company are held out and guessed. Two independent splits are drawn: the *training* split only
fits the probability calibration, the *evaluation* split produces every figure below.

    .venv/bin/python bench/addresses_bench.py [--companies 1500] [--seed 7]

Peers, run on the same data:

* book — the chapter's method: take the domain's most common pattern and write the name with
  one fixed transliteration (MVD 310, the long-familiar passport style); one guess.
* hunter — a Hunter-style finder: rank the patterns seen at the domain by frequency (the
  register's most common pattern for unknown domains), one default transliteration (ICAO, the
  spelling of today's passports), confidence = the pattern's share.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import numpy as np

from partnernet.engines.addresses import infer, synthetic, translit_variants
from partnernet.engines.addresses.infer import AddressModel, Calibration
from partnernet.engines.addresses.patterns import (
    DEFAULT_PATTERNS,
    Pattern,
    is_role_mailbox,
    split_digit_suffix,
)
from partnernet.engines.addresses.rules import RULE_NAMES, RULE_OPTIONS
from partnernet.engines.addresses.synthetic import (
    SyntheticCompany,
    generate_companies,
    random_person,
)
from partnernet.engines.names.person import PersonName, parse_person_name

# The generator's by-ear rules by the engine's rule names.
GENERATOR_RULES = {
    "ye": "е-",
    "yo": "ё",
    "zh": "ж",
    "y": "й",
    "iy_end": "-ий",
    "yi_end": "-ый",
    "kh": "х",
    "ts": "ц",
    "shch": "щ",
    "yu": "ю",
    "ya": "я",
    "iya_end": "-ия",
    "ya_soft": "ья",
    "ks": "кс",
}
BUCKETS = (("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3-5", 3, 5), ("6+", 6, 10_000))
Guesser = Callable[[str, str], list[tuple[str, float]]]


def bucket_of(n: int) -> str:
    return next(label for label, lo, hi in BUCKETS if lo <= n <= hi)


class FixedSchemePeer:
    """Most common pattern(s) of the domain under one fixed transliteration."""

    def __init__(self, records: Sequence[tuple[str, str, str]], scheme: str, top: int) -> None:
        self.habit = translit_variants.Habit(scheme, ks_x=False, yo=False)
        self.top = top
        self.domain_counts: dict[str, Counter[str]] = defaultdict(Counter)
        for domain, full_name, email in records:
            local = email.split("@")[0].lower()
            if is_role_mailbox(local):
                continue
            name = parse_person_name(full_name)
            if name is None or not name.last:
                continue
            base, _ = split_digit_suffix(local)
            for key in DEFAULT_PATTERNS:
                if self._render(name, key) == base:
                    self.domain_counts[domain][key] += 1
        self.global_counts: Counter[str] = Counter()
        for counts in self.domain_counts.values():
            if counts:
                self.global_counts[counts.most_common(1)[0][0]] += 1

    def _render(self, name: PersonName, key: str) -> str | None:
        pattern = Pattern.of(key)
        values: dict[str, str] = {}
        for part, word in (
            ("first", name.first),
            ("last", name.last),
            ("patr", name.patronymic),
        ):
            if word:
                values[part] = translit_variants.transliterate(word, self.habit)
        for initial, full, fallback in (
            ("f", "first", name.first_initial),
            ("l", "last", None),
            ("p", "patr", name.patronymic_initial),
        ):
            if values.get(full):
                values[initial] = values[full][0]
            elif fallback:
                values[initial] = translit_variants.transliterate(fallback, self.habit)[:1]
        if any(part not in values or not values[part] for part in pattern.needs):
            return None
        return pattern.render(values)

    def __call__(self, domain: str, full_name: str) -> list[tuple[str, float]]:
        name = parse_person_name(full_name)
        if name is None or not name.last:
            return []
        counts = self.domain_counts.get(domain)
        total = sum(counts.values()) if counts else 0
        ranked: list[tuple[str, float]]
        if counts:
            ranked = [(k, c / total) for k, c in counts.most_common()]
        else:
            n = sum(self.global_counts.values())
            ranked = [(k, c / n) for k, c in self.global_counts.most_common()]
        out: list[tuple[str, float]] = []
        for key, share in ranked:
            local = self._render(name, key)
            if local and all(local != o for o, _ in out):
                out.append((local, share))
            if len(out) >= self.top:
                break
        return [(f"{local}@{domain}", share) for local, share in out]


def ours(model: AddressModel) -> Guesser:
    def guess(domain: str, full_name: str) -> list[tuple[str, float]]:
        return [(c.email, c.confidence) for c in model.guess(domain, full_name, top=3)]

    return guess


def evaluate(
    companies: Sequence[SyntheticCompany], guesser: Guesser, *, least_known: int = 0
) -> tuple[dict[str, list[int]], list[tuple[float, bool]]]:
    """Per bucket [people, top-1 hits, top-3 hits]; and (top-1 confidence, hit) pairs of the
    people at domains with at least ``least_known`` known person addresses."""
    table: dict[str, list[int]] = {label: [0, 0, 0] for label, _, _ in BUCKETS}
    reliability: list[tuple[float, bool]] = []
    for company in companies:
        if company.known_people < least_known:
            continue
        row = table[bucket_of(company.known_people)]
        for domain, full_name, email in company.held_out:
            guesses = guesser(domain, full_name)
            emails = [e for e, _ in guesses]
            row[0] += 1
            row[1] += bool(emails[:1] == [email])
            row[2] += email in emails[:3]
            if guesses:
                reliability.append((guesses[0][1], emails[0] == email))
            else:
                reliability.append((0.0, False))
    return table, reliability


def percent(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}" if total else "  n/a"


def reliability_table(pairs: Sequence[tuple[float, bool]]) -> tuple[list[str], float]:
    edges = [0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001]
    lines = ["| stated confidence | guesses | mean stated | right |", "|---|---:|---:|---:|"]
    ece = 0.0
    for lo, hi in pairwise(edges):
        chunk = [(p, ok) for p, ok in pairs if lo <= p < hi]
        if not chunk:
            continue
        mean_p = sum(p for p, _ in chunk) / len(chunk)
        hit = sum(ok for _, ok in chunk) / len(chunk)
        ece += len(chunk) / len(pairs) * abs(mean_p - hit)
        lines.append(f"| {lo:.2f}–{min(hi, 1.0):.2f} | {len(chunk)} | {mean_p:.3f} | {hit:.3f} |")
    return lines, ece


def ece_noise(pairs: Sequence[tuple[float, bool]], runs: int = 200) -> tuple[float, float]:
    """ECE a perfectly calibrated guesser would show on these guesses by chance alone: each
    guess right with exactly its stated probability (median and 90th percentile of ``runs``)."""
    rng = random.Random(0)
    eces = sorted(
        reliability_table([(p, rng.random() < p) for p, _ in pairs])[1] for _ in range(runs)
    )
    return eces[runs // 2], eces[runs * 9 // 10]


def print_accuracy(name: str, table: dict[str, list[int]]) -> None:
    cells = []
    for label, _, _ in BUCKETS:
        n, t1, t3 = table[label]
        cells.append(f"{percent(t1, n)} / {percent(t3, n)} (n={n})")
    big = [table[label] for label in ("3-5", "6+")]
    n = sum(r[0] for r in big)
    t1 = sum(r[1] for r in big)
    t3 = sum(r[2] for r in big)
    both = f"{percent(t1, n).strip()} / {percent(t3, n).strip()}"
    print(f"| {name} | " + " | ".join(cells) + f" | **{both}** |")


def clear_caches() -> None:
    infer._render.cache_clear()
    infer._part_spellings.cache_clear()
    infer._spelling_lookup.cache_clear()
    translit_variants.spellings.cache_clear()
    translit_variants.initial_spellings.cache_clear()
    parse_person_name.cache_clear()


class BayesReference:
    """Not a method: the best a method can do when the habit must be read off the addresses.

    It knows what no method can — each company's true pattern mix and the generator's own
    shares of schemes and tweaks — and infers the habit exactly as Bayes says from the known
    addresses (one habit per company, a person following their own spelling at the generator's
    rate). Guessing then goes through the model's own machinery (collisions, known names,
    missing parts), so the gap between this row and partnernet is what a better estimate of
    pattern and habit could still win, and the gap to the oracle below is what the known
    addresses cannot tell. Plain, it knows only whole schemes; with ``by_ear`` it is also told
    the generator's share of by-ear typists and their per-rule rates (``_add_by_ear``).
    """

    def __init__(
        self, companies: Sequence[SyntheticCompany], model: AddressModel, *, by_ear: bool = False
    ) -> None:
        prior = np.zeros(translit_variants.N_HABITS)
        shares = dict(synthetic.SCHEME_SHARES)
        for h in range(translit_variants.N_HABITS):
            habit = translit_variants.habit_of(h)
            prior[h] = (
                shares[habit.scheme]
                * (synthetic.KS_X_SHARE if habit.ks_x else 1 - synthetic.KS_X_SHARE)
                * (synthetic.YO_SHARE if habit.yo else 1 - synthetic.YO_SHARE)
            )
        prior /= prior.sum()
        eps = synthetic.PERSONAL_SPELLING
        self.model = copy.copy(model)
        self.model._params = {}
        self.model._dirty = set()
        for company in companies:
            pattern = np.zeros(len(model.patterns))
            main = model.patterns.index(company.pattern)
            pattern[main] = 1.0
            if company.secondary_pattern:
                pattern *= 1 - synthetic.SECONDARY_PATTERN_PEOPLE
                pattern[model.patterns.index(company.secondary_pattern)] += (
                    synthetic.SECONDARY_PATTERN_PEOPLE
                )
            post = prior.copy()
            for obs in model._obs.get(company.domain, []):
                if not obs.positive:
                    continue
                lik = np.zeros(translit_variants.N_HABITS)
                for p_idx, mask in obs.cells:
                    lik += pattern[p_idx] * infer._mask_bits(mask)
                if lik.any():
                    post *= (1 - eps) * lik + eps * float(lik @ prior)
                    post /= post.sum()
            learned = model._domain_params(company.domain)
            params = model._make_params(learned.pattern, learned.scheme, learned.ks, learned.yo)
            params.pattern = pattern
            params._habit = post
            params.known = learned.known
            params.exception = learned.exception
            params.counts_pattern = learned.counts_pattern
            self.model._params[company.domain] = params
        if by_ear:
            self._add_by_ear(companies, model)

    def _add_by_ear(self, companies: Sequence[SyntheticCompany], model: AddressModel) -> None:
        """Also told the generator's share of by-ear typists and their per-rule rates: each
        domain's chance of typing by ear and its letter choices are then the exact two-account
        posterior (no robustness rule) given the true pattern mix."""
        rules = dict(zip(GENERATOR_RULES.values(), GENERATOR_RULES.keys(), strict=True))
        generator = dict(synthetic.BY_EAR_RULES)
        true_rules = []
        for r, options in enumerate(RULE_OPTIONS):
            name = RULE_NAMES[r]
            rates = np.zeros(len(options))
            if name in rules:
                for option, weight in generator[rules[name]]:
                    written = option[1:] if name == "-ия" else option
                    rates[options.index(written)] += weight
            else:  # ч and ш: the generator's typist always writes ch and sh
                rates[0] = 1.0
            true_rules.append(rates / rates.sum())
        ref = self.model
        ref._rule_prior = true_rules
        ref.by_ear_share = synthetic.BY_EAR_COMPANIES
        ref.own_by_ear = 0.0  # the generator's own spellings are published schemes
        ref.deviate_habit = synthetic.PERSONAL_SPELLING
        domains = [c.domain for c in companies if model._obs.get(c.domain)]
        design = ref._design(domains)
        pattern = np.stack([ref._params[d].pattern for d in domains])
        shares = dict(synthetic.SCHEME_SHARES)
        scheme = np.array([shares[k] for k in translit_variants.SCHEME_KEYS], dtype=float)
        prior = infer._Prior(
            model._prior.pattern,
            scheme / scheme.sum(),
            np.array([1 - synthetic.KS_X_SHARE, synthetic.KS_X_SHARE]),
            np.array([1 - synthetic.YO_SHARE, synthetic.YO_SHARE]),
        )
        fit = infer._Fit(pattern, *([np.zeros(0)] * 6))  # only the pattern mix is read
        with np.errstate(divide="ignore"):  # options the generator's typist never uses
            chance, thetas = ref._by_ear(design, fit, prior, learn=False)
        eps = synthetic.PERSONAL_SPELLING
        for d, domain in enumerate(domains):
            params = ref._params[domain]
            params.by_ear = float(chance[d])
            params.rules = [
                (1 - eps) * theta + eps * q for theta, q in zip(thetas[d], true_rules, strict=True)
            ]
        ref._global = copy.copy(model._global)
        assert ref._global is not None
        ref._global.by_ear = synthetic.BY_EAR_COMPANIES
        ref._global.rules = true_rules

    def __call__(self, domain: str, full_name: str) -> list[tuple[str, float]]:
        return [(c.email, c.confidence) for c in self.model.guess(domain, full_name, top=3)]


class OracleHabit:
    """Not a method: knows each company's true main pattern and habit (the ceiling)."""

    def __init__(self, companies: Sequence[SyntheticCompany], model: AddressModel) -> None:
        self.truth = {c.domain: c for c in companies}
        self.model = model

    def __call__(self, domain: str, full_name: str) -> list[tuple[str, float]]:
        company = self.truth[domain]
        name = parse_person_name(full_name)
        if name is None:
            return []
        if company.by_ear:
            # The admin's own letter-by-letter spelling of the parts the record gives.
            words = {"first": name.first, "last": name.last, "patr": name.patronymic}
            values = {k: synthetic.spell_by_ear(v, company.by_ear) for k, v in words.items() if v}
            for initial, full in (("f", "first"), ("l", "last"), ("p", "patr")):
                if full in values:
                    values[initial] = values[full][0]
            pattern = Pattern.of(company.pattern)
            if pattern.needs <= set(values):
                return [(f"{pattern.render(values)}@{domain}", 1.0)]
        habit = translit_variants.habit_index(
            translit_variants.SCHEME_KEYS.index(company.scheme), company.ks_x, company.yo
        )
        options = [r for r in self.model._renderings(name, company.pattern) if r.mask >> habit & 1]
        options.sort(key=lambda r: -r.weight)
        return [(f"{r.local}@{domain}", 1.0) for r in options[:1]]


def miss_analysis(
    companies: Sequence[SyntheticCompany], model: AddressModel, oracle: OracleHabit
) -> Counter[str]:
    """Why top-1 guesses miss at domains with 3 or more known addresses, in categories."""
    out: Counter[str] = Counter()
    for company in companies:
        if company.known_people < 3:
            continue
        habit = translit_variants.habit_index(
            translit_variants.SCHEME_KEYS.index(company.scheme), company.ks_x, company.yo
        )
        for domain, full_name, email in company.held_out:
            out["people"] += 1
            guesses = model.guess(domain, full_name, top=1)
            ours_hit = bool(guesses) and guesses[0].email == email
            told = oracle(domain, full_name)
            oracle_hit = bool(told) and told[0][0] == email
            if ours_hit:
                out["hit" if oracle_hit else "hit, the oracle misses"] += 1
                continue
            if oracle_hit:
                top = guesses[0] if guesses else None
                if top is not None and top.pattern not in ("", company.pattern):
                    out["miss: the domain mixes patterns, the other one chosen"] += 1
                elif top is not None and top.pattern == company.pattern:
                    out["miss: habit not pinned down by the known addresses"] += 1
                else:
                    out["miss: other (known name, no guess)"] += 1
                continue
            out[
                "miss, the oracle too: " + _exception_kind(company, model, full_name, email, habit)
            ] += 1
    return out


def _exception_kind(
    company: SyntheticCompany, model: AddressModel, full_name: str, email: str, habit: int
) -> str:
    """How a person deviates from the company's main pattern and habit."""
    name = parse_person_name(full_name)
    local = email.split("@")[0]
    if name is None:
        return "name not parsed"
    base, digits = split_digit_suffix(local)
    cells = model._cells(name, base) if base != local else []
    if not cells:
        cells, digits = model._cells(name, local), ""
    patterns = {model.patterns[p]: mask for p, mask in cells}
    if not cells:
        return "alias or nickname (no rule explains the address)"
    if digits or (
        company.pattern not in patterns
        and infer._without_patronymic(next(iter(patterns))) == company.pattern
    ):
        return "namesake told apart by a digit or the patronymic"
    if company.pattern in patterns:
        if patterns[company.pattern] >> habit & 1:
            return "record lacks a part the pattern needs (initials only, no patronymic)"
        return "own spelling (not the company's habit)"
    if company.secondary_pattern in patterns:
        return "the domain's second pattern"
    return "other"


def timed(func: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) — the machine is shared, CPU time is the stable figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--companies", type=int, default=1500, help="companies per split")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--misses", action="store_true", help="also print why top-1 guesses miss (3+ known)"
    )
    parser.add_argument(
        "--by-ear-share",
        type=float,
        default=None,
        help="share of companies typing names by ear (default: the generator's; 0 = whole schemes)",
    )
    args = parser.parse_args()
    if args.by_ear_share is not None:
        synthetic.BY_EAR_COMPANIES = args.by_ear_share

    train = generate_companies(args.companies, seed=args.seed * 1000 + 1)
    test = generate_companies(args.companies, seed=args.seed * 1000 + 2)
    train_records = [r for c in train for r in c.known]
    test_records = [r for c in test for r in c.known]
    parse_person_name("Тарасенко Андрей Викторович")  # load pymorphy3's dictionaries once

    # The training split only fits the isotonic calibration; every figure comes from the test.
    train_model = AddressModel.learn(train_records)
    _, train_pairs = evaluate(train, ours(train_model))
    calibration = Calibration.fit(train_pairs)
    holder: list[AddressModel] = []
    learn_wall, learn_cpu = timed(lambda: holder.append(AddressModel.learn(test_records)))
    model = holder[0]
    calibrated = AddressModel.__new__(AddressModel)
    calibrated.__dict__.update(model.__dict__)
    calibrated.calibration = calibration

    peers: list[tuple[str, Guesser]] = [
        ("partnernet", ours(model)),
        ("partnernet + isotonic calibration", ours(calibrated)),
        ("book: top pattern, MVD 310", FixedSchemePeer(test_records, "mvd_310", top=1)),
        ("Hunter-style: ranked patterns, ICAO", FixedSchemePeer(test_records, "icao_doc_9303", 3)),
        ("(Bayes reference: true pattern mix and scheme shares)", BayesReference(test, model)),
        (
            "(Bayes reference, also told the by-ear share and rates)",
            BayesReference(test, model, by_ear=True),
        ),
        ("(oracle: true pattern and habit, 1 guess)", OracleHabit(test, model)),
    ]
    held = sum(len(c.held_out) for c in test)
    print(
        f"{args.companies} companies per split, {len(test_records)} known addresses in the "
        f"evaluation register, {held} held-out people; seed {args.seed}; "
        f"{synthetic.BY_EAR_COMPANIES:.0%} of companies type names by ear"
    )
    print(
        f"chosen by leave-one-out: pattern concentration {model.alpha_pattern}, own pattern "
        f"{model.deviate_pattern}, own spelling {model.deviate_habit}; register exception rate "
        f"{model.global_exception:.3f}; a known name is the same person with "
        f"{model._same_person(full=True):.2f} (full name) / {model._same_person(full=False):.2f}; "
        f"companies typing by ear {model.by_ear_share:.2f}, of people's own spellings letter by "
        f"letter {model.own_by_ear:.2f}"
    )
    judged = {d for d in model.domains() if model._domain_params(d).by_ear >= 0.5}
    typing = {c.domain for c in test if c.by_ear}
    print(
        f"by-ear companies: {len(typing)} of {len(test)} ({len(typing) / len(test):.1%}) in the "
        f"generator; read as typing by ear (chance ≥ 0.5): {len(judged)}, of them truly by ear "
        f"{len(judged & typing)}"
    )
    print()
    print("### Accuracy, top-1 / top-3 %, by known person addresses at the domain")
    print()
    header = " | ".join(label for label, _, _ in BUCKETS)
    print(f"| method | {header} | ≥ 3 known |")
    print("|---|" + "---:|" * (len(BUCKETS) + 1))
    reliabilities = {}
    for name, guesser in peers:
        table, pairs = evaluate(test, guesser)
        reliabilities[name] = pairs
        print_accuracy(name, table)
    print()
    for name in (
        "partnernet",
        "partnernet + isotonic calibration",
        "Hunter-style: ranked patterns, ICAO",
    ):
        lines, ece = reliability_table(reliabilities[name])
        print(f"### Reliability of the top-1 confidence: {name} (ECE {ece:.3f})")
        print()
        print("\n".join(lines))
        print()
    # The goal's population: domains with three or more known person addresses.
    for name, guesser in peers[:2]:
        _table, pairs = evaluate(test, guesser, least_known=3)
        lines, ece = reliability_table(pairs)
        median, high = ece_noise(pairs)
        print(f"### Reliability at domains with 3 or more known addresses: {name} (ECE {ece:.3f})")
        print()
        print("\n".join(lines))
        print()
        print(
            f"A perfectly calibrated guesser with these confidences would show an ECE of "
            f"{median:.3f} by chance alone (median of 200 draws; 90th percentile {high:.3f})."
        )
        print()

    if args.misses:
        counts = miss_analysis(test, model, OracleHabit(test, model))
        people = counts.pop("people")
        print("### Top-1 at domains with 3 or more known addresses, by outcome")
        print()
        print("| outcome | people | share |")
        print("|---|---:|---:|")
        for kind, n in counts.most_common():
            print(f"| {kind} | {n} | {100 * n / people:.1f} % |")
        print()

    # Speed: 10,000 distinct new people at the evaluation companies, every cache cleared first.
    rng = random.Random(args.seed)
    people = [
        (rng.choice(test).domain, random_person(rng).written(rng.choice(["LFP", "FL", "LF"])))
        for _ in range(10_000)
    ]
    # Three cold runs, the median reported: one run on a shared machine varies by a second.
    cold = []
    for _run in range(3):
        clear_caches()
        parse_person_name("Тарасенко Андрей Викторович")
        cold.append(timed(lambda: [model.guess(d, n, top=3) for d, n in people]))
    cold_wall, cold_cpu = sorted(cold, key=lambda run: run[1])[1]
    runs = ", ".join(f"{cpu:.2f}" for _wall, cpu in cold)
    warm_wall, warm_cpu = timed(lambda: [model.guess(d, n, top=3) for d, n in people])
    print("### Speed (CPU seconds; wall-clock in brackets, on a shared 2-core machine)")
    print()
    print(
        f"- learning the evaluation register ({len(test_records)} addresses): "
        f"{learn_cpu:.2f} s ({learn_wall:.2f} s)"
    )
    print(
        f"- 10,000 guesses (top 3) for distinct new people, caches cleared: "
        f"{cold_cpu:.2f} s ({cold_wall:.2f} s), the median of three runs ({runs} s); "
        f"the same again, warm: "
        f"{warm_cpu:.2f} s ({warm_wall:.2f} s)"
    )


if __name__ == "__main__":
    main()
