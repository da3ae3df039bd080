"""The recipe that makes the built-in NLI model: data makers, training, soft labels, averaging.

Run from the repository root as modules (``python -m models.train_nli --config ...``); see models/README.md.
Nothing here ships in the wheel but the trained model folder (``consistency-nli-minilm-l6``).
"""
