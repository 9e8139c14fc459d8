"""The Splink model: comparisons, their levels and the shipped parameters.

Describing the model (this module) is separate from running it (``linker``). The parameters
shipped in ``default_model.json`` let a first small import work with no training; a larger
register re-estimates them (``linker.SplinkResolver.train``) and saves its own JSON file.

Every comparison reads columns written by ``features``:

- ``identifier``: valid INN/BIN/UNP (``tax_id``) or OGRN — equal, or both present and different;
- ``name``: the transliteration-insensitive key — equal (term-frequency adjusted: a common name
  proves little), else the same consonant skeleton across scripts (a Latin brand and its
  transcription; within one script it is a weak level of its own), else
  weighted overlap of word stems (rare words weigh much, words like
  «Системы», "Group", "IT" little) or a close spelling of the sorted words;
- ``domains``, ``phones``: any registered web domain / E.164 phone in common;
- ``location``: same city (term-frequency adjusted: Moscow is common), same region, elsewhere;
- ``legal_form``: the same kind of legal entity, or not (an АО and an ООО of one name are two
  companies, unless one was renamed or reorganised).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator

from partnernet.engines.resolution.blocking import blocking_rules
from partnernet.engines.resolution.features import (
    SAME_WORDS_EDITS,
    SAME_WORDS_LETTERS_PER_EDIT,
    SAME_WORDS_SIMILARITY,
)

DEFAULT_MODEL_FILE = "default_model.json"

# Weighted Jaccard overlap of the name stems: shared weight / union weight. The stems carry
# their inverse-document-frequency weight (a struct {t, w}), so equal stems have equal weights
# on both sides and ``list_intersect`` works on the structs directly.
_SHARED = "list_sum(list_transform(list_intersect(name_tokens_l, name_tokens_r), lambda s: s.w))"
WEIGHTED_OVERLAP = f"coalesce({_SHARED} / ((name_weight_l + name_weight_r) - {_SHARED}), 0)"
_SPELLING = "jaro_winkler_similarity(name_sorted_l, name_sorted_r)"
_FULL_SPELLING = "jaro_winkler_similarity(name_full_l, name_full_r)"
# The exact level's "same words" (``features.same_words`` is the same test in Python).
_FULL_EDITS = (
    "damerau_levenshtein(name_full_l, name_full_r) <= greatest("
    f"{SAME_WORDS_EDITS}, least(length(name_full_l), length(name_full_r))"
    f" // {SAME_WORDS_LETTERS_PER_EDIT})"
)
_SAME_WORDS = f"({_FULL_SPELLING} >= {SAME_WORDS_SIMILARITY} AND {_FULL_EDITS})"
# ``name_sound`` is "<script>:<skeleton>" (``features.sound_key``).
_SAME_SOUND = "split_part(name_sound_l, ':', 2) = split_part(name_sound_r, ':', 2)"
_CROSS_SCRIPT = "left(name_sound_l, 1) <> left(name_sound_r, 1)"

# Labels double as stable level names in the review queue ("what drove the score").
NAME_LEVELS = (
    "name_stems",
    "name_exact",
    "name_same_words",
    "name_sound",
    "name_very_close",
    "name_close",
    "name_sound_same_script",
    "name_partial",
    "name_weak",
    "name_different",
)


def comparisons() -> list[Any]:
    identifier = cl.CustomComparison(
        output_column_name="identifier",
        comparison_description="valid INN/BIN/UNP or OGRN",
        comparison_levels=[
            cll.CustomLevel(
                "(tax_id_l IS NULL OR tax_id_r IS NULL) AND (ogrn_l IS NULL OR ogrn_r IS NULL)",
                "identifier_missing",
            ).configure(is_null_level=True),
            cll.CustomLevel("tax_id_l = tax_id_r OR ogrn_l = ogrn_r", "identifier_equal"),
            cll.ElseLevel().configure(label_for_charts="identifier_different"),
        ],
    )
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="company name without legal form, any script",
        comparison_levels=[
            cll.NullLevel("name_key").configure(label_for_charts="name_missing"),
            # Same stems but different words: glued brands that share only their first
            # morpheme («ЛайнСтор» / «ЛайнСекьюр») — checked before the exact level.
            cll.CustomLevel(f"name_key_l = name_key_r AND NOT {_SAME_WORDS}", NAME_LEVELS[0]),
            # The same full words: term-frequency adjusted by how many companies bear these
            # words (``features.TokenStats.variant_frequencies``), not the cut key that
            # glued brands share.
            cll.ExactMatchLevel("name_tf").configure(
                tf_adjustment_column="name_tf",
                tf_adjustment_weight=1.0,
                label_for_charts=NAME_LEVELS[1],
            ),
            # The same words in another form (inflected, a late typo), frequency as above.
            cll.CustomLevel("name_key_l = name_key_r", NAME_LEVELS[2]).configure(
                tf_adjustment_column="name_tf",
                tf_adjustment_weight=1.0,
            ),
            # A Latin brand and its Cyrillic transcription (different scripts).
            cll.CustomLevel(f"{_SAME_SOUND} AND {_CROSS_SCRIPT}", NAME_LEVELS[3]),
            cll.CustomLevel(f"{WEIGHTED_OVERLAP} >= 0.85 OR {_SPELLING} >= 0.97", NAME_LEVELS[4]),
            cll.CustomLevel(f"{WEIGHTED_OVERLAP} >= 0.6 OR {_SPELLING} >= 0.93", NAME_LEVELS[5]),
            # Equal skeletons within one script are mostly different names ("Garant" /
            # "Granit"): a level of its own, weighed by the fit.
            cll.CustomLevel(_SAME_SOUND, NAME_LEVELS[6]),
            cll.CustomLevel(f"{WEIGHTED_OVERLAP} >= 0.35", NAME_LEVELS[7]),
            cll.CustomLevel(f"{WEIGHTED_OVERLAP} > 0", NAME_LEVELS[8]),
            cll.ElseLevel().configure(label_for_charts=NAME_LEVELS[9]),
        ],
    )
    domains = cl.CustomComparison(
        output_column_name="domains",
        comparison_description="registered web domains",
        comparison_levels=[
            cll.NullLevel("domains").configure(label_for_charts="domain_missing"),
            cll.ArrayIntersectLevel("domains", 1).configure(label_for_charts="domain_shared"),
            cll.ElseLevel().configure(label_for_charts="domain_different"),
        ],
    )
    phones = cl.CustomComparison(
        output_column_name="phones",
        comparison_description="phones in E.164",
        comparison_levels=[
            cll.NullLevel("phones").configure(label_for_charts="phone_missing"),
            cll.ArrayIntersectLevel("phones", 1).configure(label_for_charts="phone_shared"),
            cll.ElseLevel().configure(label_for_charts="phone_different"),
        ],
    )
    location = cl.CustomComparison(
        output_column_name="location",
        comparison_description="city and region",
        comparison_levels=[
            cll.CustomLevel(
                "(city_l IS NULL OR city_r IS NULL) AND (region_l IS NULL OR region_r IS NULL)",
                "location_missing",
            ).configure(is_null_level=True),
            cll.ExactMatchLevel("city").configure(
                tf_adjustment_column="city",
                tf_adjustment_weight=0.5,
                label_for_charts="same_city",
            ),
            cll.CustomLevel("region_l = region_r", "same_region"),
            cll.ElseLevel().configure(label_for_charts="elsewhere"),
        ],
    )
    legal_form = cl.CustomComparison(
        output_column_name="legal_form",
        comparison_description="kind of legal entity (ООО, АО, ИП, …)",
        comparison_levels=[
            cll.NullLevel("legal_form").configure(label_for_charts="legal_form_missing"),
            cll.ExactMatchLevel("legal_form").configure(label_for_charts="legal_form_same"),
            cll.ElseLevel().configure(label_for_charts="legal_form_different"),
        ],
    )
    return [identifier, name, domains, phones, location, legal_form]


def settings_creator(probability_two_random_records_match: float = 2e-4) -> SettingsCreator:
    """The model's structure with Splink's untrained defaults (training fills m and u)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        max_iterations=20,
    )


def default_model() -> dict[str, Any]:
    """The parameters shipped with the package (structure + trained m/u), as a dict."""
    text = resources.files(__package__).joinpath(DEFAULT_MODEL_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


def load_model(path: str | Path | None = None) -> dict[str, Any]:
    """A saved model (Splink settings JSON); the shipped one when ``path`` is None."""
    if path is None:
        return default_model()
    return dict(json.loads(Path(path).read_text(encoding="utf-8")))


def save_model(model: Mapping[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(model, ensure_ascii=False, indent=2), encoding="utf-8")


def level_weights(model: Mapping[str, Any]) -> dict[str, list[tuple[float, str]]]:
    """comparison name -> [(match weight, level label)], the null level weighing 0.

    Predictions keep each comparison's match weight (``mw_<name>``), and the weight tells the
    level: this is how the review queue shows what drove a score without keeping the
    comparison vectors of every pair.
    """
    out: dict[str, list[tuple[float, str]]] = {}
    for comparison in model["comparisons"]:
        levels: list[tuple[float, str]] = []
        for lv in comparison["comparison_levels"]:
            label = str(lv.get("label_for_charts", ""))
            if lv.get("is_null_level"):
                levels.append((0.0, label))
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            if m and u:
                levels.append((math.log2(float(m) / float(u)), label))
        out[comparison["output_column_name"]] = levels
    return out


def level_of(levels: list[tuple[float, str]], weight: float) -> str:
    """The label of the level whose weight is nearest to ``weight``."""
    if not levels:
        return ""
    return min(levels, key=lambda item: abs(item[0] - weight))[1]
