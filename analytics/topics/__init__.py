"""Themes: BERTopic over the stored documents — reproducible, labelled, with stable topic ids across refits.

The recipe of a fit:
1. passage vectors from the cache (computed and cached where missing); a document's vector is their mean;
2. documents sorted by id, so the input order never changes the result; UMAP and the clusterer seeded;
3. BERTopic (UMAP → HDBSCAN → c-TF-IDF, with MMR as the second representation);
4. outliers whose vector is close enough to a topic are reassigned ("embeddings" strategy), the strategy and
   threshold recorded, and the representation refitted on the final assignment;
5. each document's topic weights come from its passages (nearest topic centroid per passage);
6. topics matched to the previous fit by centroid similarity, so ids and the user's labels and merges survive.

One module per concern: `params` (what decides a fit), `fit` (one BERTopic fit), `labels` (readable names),
`identity` (ids across refits), `stage` (the stage over the store), `known_themes` (the user's theme list).
"""

from ..embeddings import document_matrix, passage_vectors
from .fit import (
    backend_embedder,
    fit_topics,
    merge_suggestions,
    named_topics,
    passage_weights,
    zeroshot_texts,
    zeroshot_threshold,
)
from .identity import match_topics
from .known_themes import known_theme_options, read_theme_list
from .labels import auto_label, combined_words, key_phrases, phrase_label, tokenize, top_words
from .params import (
    ASSIGN_MIN_SIMILARITY,
    EXTRA_STOP_WORDS,
    MATCH_THRESHOLD,
    OUTLIER_TARGET,
    PROFILE_BACKENDS,
    ZEROSHOT_MIN_SIMILARITY,
    Progress,
    TopicFit,
    TopicParams,
)
from .stage import (
    assign_new_documents,
    centring_key,
    corpus_hash,
    library_versions,
    refit_topics,
    run_topics,
    saved_model_dir,
    stored_centring,
)

__all__ = [
    "ASSIGN_MIN_SIMILARITY",
    "EXTRA_STOP_WORDS",
    "MATCH_THRESHOLD",
    "OUTLIER_TARGET",
    "PROFILE_BACKENDS",
    "ZEROSHOT_MIN_SIMILARITY",
    "Progress",
    "TopicFit",
    "TopicParams",
    "assign_new_documents",
    "auto_label",
    "combined_words",
    "backend_embedder",
    "centring_key",
    "corpus_hash",
    "document_matrix",
    "fit_topics",
    "key_phrases",
    "phrase_label",
    "known_theme_options",
    "library_versions",
    "match_topics",
    "merge_suggestions",
    "named_topics",
    "passage_vectors",
    "passage_weights",
    "read_theme_list",
    "refit_topics",
    "run_topics",
    "saved_model_dir",
    "stored_centring",
    "tokenize",
    "top_words",
    "zeroshot_texts",
    "zeroshot_threshold",
]
