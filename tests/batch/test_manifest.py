"""The manifest: which targets of an article need translating again, and why."""

from __future__ import annotations

from l10n.batch.manifest import Done, Manifest


def test_pending_targets(tmp_path):
    manifest = Manifest(tmp_path)
    manifest.record("a.md", Done("hash", "en", "g1", {"de": "en-de@1.0", "fr": "en-fr@1.0"}))
    for t in ("de", "fr"):
        (tmp_path / t).mkdir()
        (tmp_path / t / "a.md").write_text("x")
    installed = {"de": "en-de@1.0", "fr": "en-fr@1.0", "es": "en-es@1.0"}

    def pending(sha="hash", glossary="g1", targets=("de", "fr"), models=installed):
        return Manifest(tmp_path).pending("a.md", sha, targets, glossary,
                                          lambda s, t: models.get(t), tmp_path)

    assert pending() == []
    assert pending(sha="edited") == ["de", "fr"]
    assert pending(glossary="g2") == ["de", "fr"]
    assert pending(models={**installed, "fr": "en-fr@1.1"}) == ["fr"]  # an upgraded model
    assert pending(targets=("de", "es")) == ["es"]
    (tmp_path / "de/a.md").unlink()  # an output deleted by hand
    assert pending() == ["de"]
