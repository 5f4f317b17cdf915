"""Full-text search that works for Chinese as well as English.

SQLite's FTS5 tokenizers split on spaces and punctuation, and Chinese has neither between
words, so a whole clause would become one token. We index a pre-tokenised form instead:
Latin words as they are (FTS5's porter stemmer then folds "abilities" and "ability"), and
each run of Han characters as overlapping bigrams plus its last character alone. A query
is tokenised the same way and searched as a phrase, so 涌现能力 finds exactly the claims that
contain 涌现能力, and a one-character query such as 涌 becomes a prefix query on bigrams.
"""

from __future__ import annotations

import re

# Han runs, or runs of other word characters (Han excluded, so "175B参数" is "175b" + "参数").
_TOKEN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _han_tokens(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_tokens(text: str) -> str:
    """The text FTS5 indexes for ``text``."""
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if _HAN.match(token):
            out.extend(_han_tokens(token))
        else:
            out.append(token.lower())
    return " ".join(out)


def match_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query; every word must appear (AND).

    Each Han run becomes a phrase of its bigrams (the trailing single-character token of
    indexing is left out so that the bigrams must be adjacent); a lone Han character becomes a
    prefix query. Returns None when the query has nothing searchable in it.
    """
    terms: list[str] = []
    for match in _TOKEN.finditer(query):
        token = match.group(0)
        if _HAN.match(token):
            if len(token) == 1:
                terms.append(f'"{token}"*')
            else:
                bigrams = [token[i : i + 2] for i in range(len(token) - 1)]
                terms.append('"' + " ".join(bigrams) + '"')
        else:
            terms.append('"' + token.lower().replace('"', "") + '"')
    return " AND ".join(terms) if terms else None
