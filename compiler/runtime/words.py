"""English for messages built from names: `with_article("int64")` → "an int64", `with_article("gas")`
→ "a gas". One rule for every message that puts "a" before a word it does not know in advance."""

from __future__ import annotations

# spelled with a vowel, said with a consonant ("a unit", "a uint64", "a one-time"); and the reverse
_SAID_WITH_A = ("uni", "use", "usu", "uint", "one", "eu")
_SAID_WITH_AN = ("hour", "honest", "honor", "heir")


def article(word: str) -> str:
    """"a" or "an" for `word` by its first sound (the common English exceptions included)."""
    lower = word.lower()
    if lower.startswith(_SAID_WITH_AN):
        return "an"
    if lower.startswith(_SAID_WITH_A):
        return "a"
    return "an" if lower[:1] in ("a", "e", "i", "o", "u") else "a"


def with_article(word: str) -> str:
    """`word` after its article: "an int64", "a float", "an electric"."""
    return f"{article(word)} {word}"
