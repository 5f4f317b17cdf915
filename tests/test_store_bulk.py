"""The store's bulk loader (bench/make_big_db.py): the same tables and search index as
save_document, in few transactions; a path already stored is refused."""

from __future__ import annotations

import pytest

from emlit.errors import EmlitError
from emlit.models import Block, Claim, ParsedDocument
from emlit.store import BulkDocument, ClaimFilter, Store


def _doc(n: int) -> BulkDocument:
    text = f"Chain-of-thought appears at scale {n}.\n\n思维链推理在大模型中出现{n}。"
    a, b = text.split("\n\n")
    blocks = [Block(0, len(a), "paragraph", "S"), Block(len(a) + 2, len(text), "paragraph")]
    claims = [
        Claim(f"c{n}-0", a, "en", 0, len(a), "S"),
        Claim(f"c{n}-1", b, "zh", len(a) + 2, len(text)),
    ]
    doc = ParsedDocument(f"d{n}", "markdown", text, blocks, title=f"doc {n}")
    return BulkDocument(doc, f"/b/d{n}.md", f"d{n}.md", str(n), claims)


def test_bulk_load_is_read_like_saved_documents() -> None:
    with Store(":memory:") as store:
        assert store.bulk_add_documents([_doc(1), _doc(2)]) == 4
        store.bulk_add_machine_tags(
            [("c1-0", "D3", True, 0.9, "m"), ("c1-1", "D4", False, 0.1, None)]
        )
        store.bulk_add_model_links([("c2-0", "c1-0", "SUPPORTS", 0.8, None)] * 2)
        assert store.stats()["claims"] == 4 and store.stats()["links"] == 1
        assert store.labels_for(["c1-0", "c1-1"]) == {"c1-0": ["D3"], "c1-1": []}
        assert store.count(ClaimFilter(search="思维链")) == 2
        row = store.claim("c2-1")
        assert row is not None and row["document"] == "d2.md"
        with pytest.raises(EmlitError, match="already stored"):
            store.bulk_add_documents([_doc(1)])
        assert store.stats()["claims"] == 4  # nothing of the refused batch was written
