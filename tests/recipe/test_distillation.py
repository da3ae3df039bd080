"""The teacher-student recipe: config inheritance, unlabelled pairs, the distillation loss, soft labels, and
models/gpu_recipe.sh end to end on tiny models (on the CPU)."""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT, WORDS, build_model

from models import make_news_pairs, make_synthetic, recipe_config
from models import train_nli as recipe


def test_a_config_extends_its_base_table_by_table_and_is_fingerprinted_with_it(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text('[data]\nmax_length = 128\npool_sample = 0\n[data.source_keep]\na = 0.5\n'
                                        '[train]\nseed = 1\n')
    (tmp_path / "phase.toml").write_text('extends = "base.toml"\n[data]\npool_sample = 10\n'
                                         '[data.source_keep]\nb = 1.0\n')
    cfg, text = recipe_config.load_config(tmp_path / "phase.toml")
    assert cfg == {"data": {"max_length": 128, "pool_sample": 10, "source_keep": {"a": 0.5, "b": 1.0}},
                   "train": {"seed": 1}}
    assert text.startswith("[data]") and text.endswith('b = 1.0\n')  # both files: editing the base invalidates
    alone, alone_text = recipe_config.load_config(tmp_path / "base.toml")
    assert "extends" not in cfg and alone_text == (tmp_path / "base.toml").read_text()


def test_the_shipped_chain_resolves_to_complete_configs() -> None:
    """Every phase's override resolves to a whole config: start model, data, schedule and evaluation."""
    for name in ["nli-train-phase2", "nli-train-phase3", "nli-train-phase4", "nli-train-phase5", "nli-train-phase6a"]:
        cfg, _ = recipe_config.load_config(REPO_ROOT / "models" / f"{name}.toml")
        assert {"model", "data", "train", "eval"} <= set(cfg)
        assert cfg["data"]["train_file"] and cfg["train"]["batch_size"] == 32 and cfg["eval"]["files"]
        assert cfg["data"]["extra_train_files"] == ["models/work/synthetic_news_v1_train.jsonl.gz"]


def test_unlabelled_pairs_are_trained_on_but_never_held_out() -> None:
    pairs = [recipe.Pair(f"p{i}", "h", i % 3, "nli") for i in range(300)]
    pairs += [recipe.Pair(f"u{i}", "h", recipe.UNLABELLED, "news_pairs") for i in range(200)]
    train, heldout = recipe.select_training_pairs(pairs, {"heldout_pairs": 30, "pool_sample": 50,
                                                          "whole_sources": ["news_pairs"]}, seed=1)
    assert len(heldout) == 30 and all(p.label >= 0 for p in heldout)
    assert sum(p.source == "news_pairs" for p in train) == 200  # kept whole, like synthetic sources
    assert len(train) == 250


def test_distillation_loss_weighs_soft_and_gold_terms() -> None:
    torch.manual_seed(0)
    logits, teacher = torch.randn(4, 3), torch.randn(4, 3)
    labels = torch.tensor([0, 1, recipe.UNLABELLED, 2])
    has_soft = torch.tensor([True, True, True, False])
    loss = recipe.distillation_loss(logits, labels, teacher, has_soft, alpha=0.25, temperature=2.0, smoothing=0.0)
    t = 2.0
    kl = (torch.softmax(teacher / t, 1) * (torch.log_softmax(teacher / t, 1) - torch.log_softmax(logits / t, 1))
          ).sum(1) * t * t
    ce = torch.nn.functional.cross_entropy(logits, labels.clamp(min=0), reduction="none")
    expected = (0.25 * kl[0] + 0.75 * ce[0] + 0.25 * kl[1] + 0.75 * ce[1] + kl[2] + ce[3]) / 4
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    same = recipe.distillation_loss(teacher, torch.full((4,), recipe.UNLABELLED), teacher, torch.ones(4, dtype=bool),
                                    alpha=0.5, temperature=2.0, smoothing=0.0)
    assert same.item() == pytest.approx(0.0, abs=1e-6)  # a student that reads as the teacher does loses nothing


def test_teacher_logits_are_read_by_pair_key_and_refuse_another_label_order(tmp_path: Path) -> None:
    path = tmp_path / "soft.npz"
    keys = [recipe.pair_key("a", "b"), recipe.pair_key("b", "a")]
    np.savez_compressed(path, keys=np.array(keys), labels=np.array(recipe.LABELS),
                        logits=np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float16))
    teacher = recipe.read_teacher_logits(path)
    targets, present = recipe.teacher_targets([recipe.Pair("b", "a", 0, "s"), recipe.Pair("c", "d", 1, "s")], teacher)
    assert present.tolist() == [True, False] and targets[0].tolist() == [4.0, 5.0, 6.0]
    np.savez_compressed(path, keys=np.array(keys), labels=np.array(["contradiction", "neutral", "entailment"]),
                        logits=np.zeros((2, 3), dtype=np.float16))
    with pytest.raises(SystemExit, match="labels"):
        recipe.read_teacher_logits(path)


ARTICLE = ("Prime minister Anna Berg opened the new bridge in Lyon on Monday with the mayor. Berg said the bridge "
           "cost 40 million euros to build. The mayor of Lyon, Marc Dupont, thanked the workers for their time. "
           "Dupont said the works were finished two months early. Berg and Dupont met the engineers after that.")


def test_synthetic_rules_version_2_swap_names_as_neutral_and_shorten_names_as_entailment() -> None:
    rng = random.Random(1)
    sents = make_synthetic.sentences(ARTICLE)
    shortened = {make_synthetic.shorten_name(s, ARTICLE, rng) for s in sents for _ in range(5)}
    assert "The mayor of Lyon, Dupont, thanked the workers for their time." in shortened
    assert "Prime minister Berg opened the new bridge in Lyon on Monday with the mayor." in shortened
    assert make_synthetic.shorten_name("The Premier League said so.", ARTICLE, rng) is None  # no person used alone


def test_synthetic_version_2_labels_a_swapped_name_neutral(tmp_path: Path) -> None:
    frank = tmp_path / "frank.jsonl.gz"
    texts = [ARTICLE.replace("Lyon", f"Town{i}") + f" Sarah Jones{i} said the road to Town{i} is new."
             for i in range(60)]
    with gzip.open(frank, "wt") as handle:
        for text in texts:
            handle.write(json.dumps({"article": text}) + "\n")
    for version, label in ((1, "contradiction"), (2, "neutral")):
        train, dev = make_synthetic.build(frank, 3, version)
        swaps = [r for r in train + dev if r["split"] in ("name", "different-entity")]
        assert swaps and {r["label"] for r in swaps} == {label}
    train, _ = make_synthetic.build(frank, 3, 1)
    assert not [r for r in train if r["split"] == "same-referent"]  # version 1 made none


def forty_articles(path: Path, tail: str = "") -> list[str]:
    """40 variants of ARTICLE (each with ``tail``, "{i}" filled in) written as a FRANK file at ``path``."""
    texts = [f"Story {i} begins here today. "
             + ARTICLE.replace("Lyon", f"Town{i}").replace("Dupont", f"Dupont{i}").replace("Berg", f"Berg{i}")
             + tail.format(i=i) for i in range(40)]
    with gzip.open(path, "wt") as handle:
        for text in texts:
            handle.write(json.dumps({"article": text}) + "\n")
    return texts


def random_embed(sents: list[str]) -> np.ndarray:
    vectors = np.random.default_rng(len(sents)).normal(size=(len(sents), 8))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_news_pairs_come_from_training_side_articles_only(tmp_path: Path) -> None:
    from consistency.eval.article_split import is_measurement_article

    frank = tmp_path / "frank.jsonl.gz"
    texts = forty_articles(frank)
    rows = make_news_pairs.build(frank, 5, random_embed, neighbours=2)
    measured = [t for t in texts if is_measurement_article(t)]
    assert measured and rows  # the sample straddles the split
    measured_sentences = {s for t in measured for s in make_synthetic.sentences(t)}
    assert not {r["premise"] for r in rows} & measured_sentences
    assert not {r["hypothesis"] for r in rows} & measured_sentences
    assert {r["label"] for r in rows} == {"unlabelled"}
    unordered = [frozenset((r["premise"], r["hypothesis"])) for r in rows]
    assert len(unordered) == len(set(unordered))


def test_news_pairs_version_2_are_the_checkers_own_inputs_of_training_side_articles(tmp_path: Path) -> None:
    from consistency.eval.article_split import is_measurement_article

    frank = tmp_path / "frank.jsonl.gz"
    texts = forty_articles(frank, " He said Town{i} would pay for it.")
    embed = random_embed
    rows = make_news_pairs.build_checker_inputs(frank, 5, embed, per_article=12)
    training = [t for t in texts if not is_measurement_article(t)]
    assert 0 < len(training) < len(texts)  # the sample straddles the split
    assert len(rows) == 12 * len(training)  # a short article has more inputs than that: 12 drawn from each
    inputs = {(r["premise"], r["hypothesis"]) for r in rows}
    every = {pair for t in training for pair in make_news_pairs.checker_inputs(t, embed)}
    assert inputs <= every
    assert not inputs & {pair for t in texts if is_measurement_article(t)
                         for pair in make_news_pairs.checker_inputs(t, embed)}
    # the checker reads "He said ..." after its previous sentence, and such readings are among the inputs
    assert any(text.startswith("Berg") and " He said Town" in text for pair in every for text in pair)
    assert {r["label"] for r in rows} == {"unlabelled"} and {r["source"] for r in rows} == {"news_checker_inputs"}


def test_the_gpu_rounds_student_reads_the_checker_inputs() -> None:
    cfg, _ = recipe_config.load_config(REPO_ROOT / "models" / "nli-distill-f.toml")
    assert "models/work/news_checker_inputs_train.jsonl.gz" in cfg["data"]["extra_train_files"]
    assert not [f for f in cfg["data"]["extra_train_files"] if "news_pairs" in f]
    assert cfg["data"]["whole_sources"] == ["news_checker_inputs"]
    assert "nli-distill-f.toml" in (REPO_ROOT / "models" / "gpu_recipe.sh").read_text()


def write_pool(path: Path, n: int, seed: int, unlabelled: int = 0) -> Path:
    rng = random.Random(seed)
    rows = [{"premise": " ".join(rng.choices(WORDS, k=6)), "hypothesis": " ".join(rng.choices(WORDS, k=3)),
             "label": recipe.LABELS[i % 3], "source": "nli"} for i in range(n)]
    rows += [{"premise": " ".join(rng.choices(WORDS, k=5)), "hypothesis": " ".join(rng.choices(WORDS, k=4)),
              "label": "unlabelled", "source": "news_pairs"} for _ in range(unlabelled)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def tiny_config(path: Path, base: Path, out: Path, pool: Path, extra: str = "") -> Path:
    path.write_text(
        f'[model]\nbase = "{base}"\noutput_dir = "{out}"\ncheckpoint_dir = "{out}-checkpoints"\n'
        f'[data]\ntrain_file = "{pool}"\nheldout_pairs = 24\nmax_length = 24\nwhole_sources = ["news_pairs"]\n'
        "[train]\nseed = 3\nepochs = 1\nbatch_size = 8\nlearning_rate = 1e-3\nweight_decay = 0.01\n"
        "warmup_ratio = 0.1\nlabel_smoothing = 0.05\nmegabatch_factor = 2\ncheckpoint_every = 4\neval_every = 1000\n"
        f'[eval]\ndir = "{path.parent}"\nfiles = ["{pool}"]\n{extra}')
    return path


def test_gpu_recipe_trains_teacher_labels_and_distils_student_end_to_end_on_cpu(tmp_path: Path) -> None:
    """models/gpu_recipe.sh with tiny models on the CPU: teacher, soft labels for every student pair, student."""
    teacher_base = build_model(tmp_path / "teacher-base", dict(enumerate(recipe.LABELS)), seed=2)
    student_base = build_model(tmp_path / "student-base", dict(enumerate(recipe.LABELS)), seed=4)
    teacher_pool = write_pool(tmp_path / "teacher-pool.jsonl", 96, seed=1)
    student_pool = write_pool(tmp_path / "student-pool.jsonl", 72, seed=2, unlabelled=24)
    soft = tmp_path / "soft.npz"
    teacher_cfg = tiny_config(tmp_path / "teacher.toml", teacher_base, tmp_path / "teacher", teacher_pool)
    student_cfg = tiny_config(tmp_path / "student.toml", student_base, tmp_path / "student", student_pool,
                              f'[distill]\nteacher = "{tmp_path / "teacher"}"\nteacher_logits = "{soft}"\n'
                              "alpha = 0.5\ntemperature = 2.0\n")
    env = {**os.environ, "DEVICE": "cpu", "TEACHER_CONFIG": str(teacher_cfg), "STUDENT_CONFIG": str(student_cfg),
           "SKIP_DATA": "1", "SKIP_EVAL": "1", "PYTHON": sys.executable}
    done = subprocess.run(["bash", str(REPO_ROOT / "models" / "gpu_recipe.sh")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    student_pairs, _ = recipe.training_data(recipe_config.load_config(student_cfg)[0]["data"], seed=3)
    labelled = np.load(soft)
    assert len(student_pairs) == 72 - 24 + 24 and set(labelled["keys"]) == {
        recipe.pair_key(p.premise, p.hypothesis) for p in student_pairs}  # every student pair, the unlabelled too
    summary = json.loads((tmp_path / "student" / "training_summary.json").read_text())
    assert summary["steps"] == summary["total_steps"] == 9  # 72 pairs in batches of 8
    assert len(summary["commit"]) == 40 and len(summary["config_sha256"]) == len(summary["data_sha256"]) == 16
    teacher_summary = json.loads((tmp_path / "teacher" / "training_summary.json").read_text())
    assert teacher_summary["data_sha256"] != summary["data_sha256"]


def test_gpu_recipe_teacher_only_with_a_time_limit_whole_pool_labels_and_the_challenge_set(tmp_path: Path) -> None:
    """The switches of a lent GPU's run: SKIP_STUDENT, TEACHER_MINUTES (stop early, export anyway), LABEL_ARGS
    (--whole-pool: every pool pair gets soft labels) and, with evaluation on, the challenge set per model."""
    teacher_base = build_model(tmp_path / "teacher-base", dict(enumerate(recipe.LABELS)), seed=2)
    teacher_pool = write_pool(tmp_path / "teacher-pool.jsonl", 96, seed=1)
    student_pool = write_pool(tmp_path / "student-pool.jsonl", 72, seed=2, unlabelled=24)
    soft = tmp_path / "soft.npz"
    teacher_cfg = tiny_config(tmp_path / "teacher.toml", teacher_base, tmp_path / "teacher", teacher_pool)
    student_cfg = tiny_config(tmp_path / "student.toml", tmp_path / "unused", tmp_path / "student", student_pool,
                              f'[distill]\nteacher = "{tmp_path / "teacher"}"\nteacher_logits = "{soft}"\n')
    env = {**os.environ, "DEVICE": "cpu", "TEACHER_CONFIG": str(teacher_cfg), "STUDENT_CONFIG": str(student_cfg),
           "SKIP_DATA": "1", "SKIP_STUDENT": "1", "TEACHER_MINUTES": "0.0001",
           "LABEL_ARGS": "--whole-pool --batch-size 16", "PYTHON": sys.executable}
    done = subprocess.run(["bash", str(REPO_ROOT / "models" / "gpu_recipe.sh")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads((tmp_path / "teacher" / "training_summary.json").read_text())
    assert 1 <= summary["steps"] < summary["total_steps"]  # stopped by the time limit, exported all the same
    pool = recipe.read_pool(student_pool)
    assert set(np.load(soft)["keys"]) == {recipe.pair_key(p.premise, p.hypothesis) for p in pool}  # held-out too
    for half in ("dev", "report"):
        result = json.loads((tmp_path / "teacher" / f"challenge_{half}.json").read_text())
        assert result["suite"] == "nli" and "challenge" in result["data_file"]
    sample = json.loads((tmp_path / "teacher" / "sample_check.json").read_text())
    assert isinstance(sample["tension_first"], bool) and len(sample["top"]) == 3  # the acceptance check ran
    assert not (tmp_path / "student").exists()


def test_soft_labels_written_are_read_back_by_key(tmp_path: Path) -> None:
    from models.label_with_teacher import read_labelled, write_labelled

    path = tmp_path / "soft.npz"
    assert read_labelled(path) == {}
    logits = {f"k{i}": np.array([i, -i, 0.5], dtype=np.float32) for i in range(50)}
    write_labelled(path, logits)
    back = read_labelled(path)
    assert set(back) == set(logits)
    assert all(np.allclose(back[key], logits[key], atol=1e-2) for key in logits)  # stored as float16
