"""consistency's optional accurate NLI model (all-mpnet-base-v2 fine-tuned as a 3-label cross-encoder).

``consistency check --nli-model accurate`` finds it through :func:`get_model_path`; its model card is this
folder's README.md.
"""

from pathlib import Path

__all__ = ["get_model_path"]


def get_model_path() -> Path:
    """The folder holding the model's config, tokenizer and fp16 safetensors shards."""
    return Path(__file__).resolve().parent
