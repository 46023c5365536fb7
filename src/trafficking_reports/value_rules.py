"""How a fact's quote supports its value: read literally, or turned into it by a named rule.

The rules' names and definitions live once in data/datapackage.json (x-value-rules). This
module says what each one means mechanically, so that the narrative importer can name the
rule a row needs and validation can check that the rule fits the quote. Rules that rest on
other rows (a waiver that follows from the tier history) are in tier_rules.
"""

from __future__ import annotations

import re

# Rules for values read in a dataset's cells (no quote); every other rule needs a quote.
DATASET_RULES = frozenset({"transcribed", "rows_counted"})
NUMERIC_TYPES = frozenset({"count", "rank", "score", "years", "rate"})

# The word a quote must hold for a flag to be read literally.
FLAG_WORDS = {
    "role_origin": re.compile(r"\b(?:source|origin)\b", re.I),
    "role_transit": re.compile(r"\btransit\b", re.I),
    "role_destination": re.compile(r"\bdestination\b", re.I),
    "tip_waiver": re.compile(r"\bwaiver\b", re.I),
    "tip_automatic_downgrade": re.compile(r"automatic(?:ally)? downgrad|no longer eligible", re.I),
}
# "did not convict any traffickers", "identified no victims", "had no convictions"
NONE_STATED = re.compile(r"\b(?:no|none)\b|\b(?:not|nor|never)\b[^.;]*\bany\b", re.I)
# The TVPA's sentence that defines a tier; it names Tier 1 and Tier 3 unambiguously (Tier 2 and
# the Watch List share "does not fully meet ... but is making significant efforts").
STANDARD_SENTENCE = {
    "Tier 1": re.compile(r"(?<!not )\bfully meets the minimum standards", re.I),
    "Tier 3": re.compile(r"does not fully meet the minimum standards.*\bis not making significant efforts", re.I),
}

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> list[str]:
    """English spellings of 0-999 as TIP narratives write them ('twenty-one', 'one hundred five')."""
    if n < 20:
        return [ONES[n]]
    if n < 100:
        tens, unit = divmod(n, 10)
        return [TENS[tens]] if unit == 0 else [f"{TENS[tens]}-{ONES[unit]}", f"{TENS[tens]} {ONES[unit]}"]
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{ONES[hundreds]} hundred"
        if rest == 0:
            return [head]
        return [f"{head}{joint}{word}" for joint in (" ", " and ") for word in number_words(rest)]
    return []


def _has(phrase: str, quote: str) -> bool:
    # Whole numbers and words only: "8" is not in "18" or "2,801"; "twenty" not in "twenty-one",
    # "one" not in "someone". A digit may touch a hyphen ("5-8 years").
    if phrase[0].isdigit():
        pattern = r"(?<![\w,.])" + re.escape(phrase) + r"(?![\w]|[,.]\d)"
    else:
        pattern = r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])"
    return re.search(pattern, quote, re.I) is not None


def _digits(value: str) -> list[str]:
    forms = [value]
    if re.fullmatch(r"\d{4,}", value):
        forms.append(f"{int(value):,}")  # 1653 is also read as 1,653
    return forms


def literal(value_type: str, indicator: str, value: str, quote: str) -> bool:
    """Is the value in the quote as written: digits, a tier's name, a flag's word, the text itself?"""
    if value_type in NUMERIC_TYPES:
        return any(_has(form, quote) for form in _digits(value))
    if value_type == "tier":
        pattern = re.escape(value).replace(r"\ ", r"\s+")
        if value == "Tier 2":
            pattern += r"(?!\s*\*?\s*watch)"  # "Tier 2 Watch List" is not Tier 2
        return re.search(r"\b" + pattern + r"\b", quote, re.I) is not None
    if value_type == "flag":
        word = FLAG_WORDS.get(indicator)
        return value == "true" and word is not None and word.search(quote) is not None
    return " ".join(value.split()).casefold() in " ".join(quote.split()).casefold()


def fits(rule: str, value_type: str, value: str, quote: str) -> bool:
    """Does a quote-based rule turn this quote into this value? (Tier-history rules: tier_rules.)"""
    if rule == "number_word":
        return value_type in NUMERIC_TYPES and value.isdigit() and any(
            _has(word, quote) for word in number_words(int(value)))
    if rule == "none_stated":
        return value_type in NUMERIC_TYPES and value == "0" and NONE_STATED.search(quote) is not None
    if rule == "tier_standard_sentence":
        sentence = STANDARD_SENTENCE.get(value)
        return value_type == "tier" and sentence is not None and sentence.search(quote) is not None
    if rule == "summarised":
        return value_type == "text" and bool(quote.strip())
    return False


# The order the importer tries them in: a zero stated as "none" before a spelled-out "zero".
QUOTE_RULES = ("none_stated", "number_word", "tier_standard_sentence", "summarised")


def rule_for(value_type: str, indicator: str, value: str, quote: str) -> str | None:
    """'' when the value is in the quote literally, else the first rule that fits; None if none does."""
    if literal(value_type, indicator, value, quote):
        return ""
    return next((rule for rule in QUOTE_RULES if fits(rule, value_type, value, quote)), None)
