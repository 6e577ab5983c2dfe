"""Name normalisation for search and duplicate detection (no `unaccent` or `pg_trgm`: done in Python)."""

import datetime as dt
import functools
import re
import unicodedata

_NON_LETTERS = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=8192)
def normalize(value: str) -> str:
    """Lower case, no accents, letters and digits separated by single spaces: "Élodie-Marie " → "elodie marie"."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_only = ascii_only.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NON_LETTERS.sub(" ", ascii_only).strip()


def search_name(last_name: str, first_name: str) -> str:
    return f"{normalize(last_name)} {normalize(first_name)}".strip()


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): one typo or one swap of letters costs 1."""
    if a == b:
        return 0
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def within(a: str, b: str, limit: int) -> bool:
    """Whether distance(a, b) <= limit, with cheap exits first (hundreds of candidates per duplicate check)."""
    if abs(len(a) - len(b)) > limit:
        return False
    if limit < 2 and min(len(a), len(b)) >= 3 and a[0] != b[0] and a[-1] != b[-1]:
        # One typo changes the first or the last letter, not both.
        return False
    return distance(a, b) <= limit


def similar(a: str, b: str) -> bool:
    """Whether two normalised names are close: equal, one within the other, or a few typos apart."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)):
        return True
    allowed = 1 if max(len(a), len(b)) <= 5 else 2
    return within(a, b, allowed)


def very_similar(a: str, b: str) -> bool:
    """Equal, or one typo apart (compound names: one part missing), once accents and spaces are gone."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a))):
        return True
    return within(a, b, 1)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_variants(year: int) -> set[int]:
    """Years one digit off (1987 → 1986, 1997, 1087…) or with two adjacent digits swapped (1987 → 1978)."""
    digits = f"{year:04d}"
    variants = set()
    for i in range(4):
        for d in "0123456789":
            variants.add(int(digits[:i] + d + digits[i + 1 :]))
    for i in range(3):
        variants.add(int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]))
    return {y for y in variants if 1900 <= y <= 2100}


def birth_date_variants(day: dt.date) -> set[dt.date]:
    """The birth dates a typing error could have made of `day` (and so the dates to look up for it):
    the date itself, a day before or after, day and month swapped, a year one digit off or two digits swapped.
    About 40 dates, looked up through the birth-date index (no fuzzy SQL: PostgreSQL without contrib)."""
    dates = {day, day - dt.timedelta(days=1), day + dt.timedelta(days=1)}
    dates.add(_safe_date(day.year, day.day, day.month))
    dates.update(_safe_date(year, day.month, day.day) for year in _year_variants(day.year))
    return {d for d in dates if d is not None}
