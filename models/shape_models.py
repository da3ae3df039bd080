"""Random-weight models of the shipped pipeline's shapes (MiniLM-L6 NLI cross-encoder and embedder), for speed
figures on a machine that lacks the weights: speed does not depend on the weights' values.

    python -m models.shape_models OUT_DIR     # OUT_DIR/nli and OUT_DIR/emb
"""

import sys

from sentence_transformers import SentenceTransformer
from sentence_transformers import models as sm
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

src, out = "models/consistency-nli-minilm-l6", sys.argv[1]
cfg = AutoConfig.from_pretrained(src)
AutoModelForSequenceClassification.from_config(cfg).half().save_pretrained(f"{out}/nli")
AutoTokenizer.from_pretrained(src).save_pretrained(f"{out}/nli")
t = sm.Transformer(f"{out}/nli", max_seq_length=256)
SentenceTransformer(modules=[t, sm.Pooling(t.get_word_embedding_dimension()), sm.Normalize()]).save(f"{out}/emb")
print("shape models in", out)
