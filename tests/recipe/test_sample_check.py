"""models/sample_check.py: the acceptance check finds the sample's tension, and says when a model misses it."""

from __future__ import annotations

import pytest

from models.sample_check import is_the_tension, sample_check


def test_the_tension_is_st_petersburg_against_the_exile() -> None:
    assert is_the_tension("As for Prigozhin, he's in St Petersburg.", "... agreed to live in exile in Belarus.")
    assert is_the_tension("... agreed to live in exile in Belarus.", "As for Prigozhin, he's in St Petersburg.")
    assert not is_the_tension("He is not on the territory of Belarus.", "... agreed to live in exile in Belarus.")
    assert not is_the_tension("He went from exile in Belarus to St Petersburg.", "The talks ended.")


@pytest.mark.real_models
def test_the_built_in_model_passes_the_acceptance_check() -> None:
    from consistency.runtime.resolve import builtin_model_path

    result = sample_check(str(builtin_model_path()), dtype="float32")
    assert result["tension_first"] and result["tension_score"] >= result["threshold"], result
    assert is_the_tension(result["top"][0]["a"], result["top"][0]["b"])
