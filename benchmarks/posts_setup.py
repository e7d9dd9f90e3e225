"""Choosing the topic setup for posts by measurement: variants of the fit on the same planted posts corpora.

    python -m benchmarks.posts_setup --posts 3000 --seeds 42 7 --profile fast

Each planted corpus (benchmarks/planted_posts.py, one per seed) is ingested once; its vectors are cached by the
first fit, so every variant reads the same vectors. A variant is a set of TopicParams fields (the smallest theme,
the shortest text fitted on, in how many themes a word must occur to name one). Printed per variant and corpus:
themes, outliers, NMI with the planted themes, NPMI over content words, diversity, labels with a problem (a link
piece, an HTML entity, a stop word, a username, or no words at all).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd

from analytics import store
from analytics.post_text import theme_text
from benchmarks.posts_themes import ENTITY_NAMES, OUT, ContentIndex, planted_store, score_run, stop_words, url_pieces

VARIANTS: dict[str, dict] = {
    "stage defaults": {},
    "min_df 1": {"vocabulary_min_df": 1},
    "min_df 1, fit from 4 words": {"vocabulary_min_df": 1, "min_fit_words": 4},
    "min_df 1, fit from 6 words": {"vocabulary_min_df": 1, "min_fit_words": 6},
    "min_df 1, themes of 15+": {"vocabulary_min_df": 1, "min_topic_size": 15},
    "min_df 1, themes of 20+": {"vocabulary_min_df": 1, "min_topic_size": 20},
    "min_df 1, themes of 25+": {"vocabulary_min_df": 1, "min_topic_size": 25},
    "min_df 1, themes of 15+, fit from 4 words": {"vocabulary_min_df": 1, "min_topic_size": 15, "min_fit_words": 4},
    "min_df 1, themes of 25+, fit from 4 words": {"vocabulary_min_df": 1, "min_topic_size": 25, "min_fit_words": 4},
}


def main() -> None:
    from analytics import topics

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7])
    parser.add_argument("--profile", default="fast")
    parser.add_argument("--variants", nargs="*", help="names of VARIANTS to run (default: all)")
    args = parser.parse_args()
    backend = topics.PROFILE_BACKENDS.get(args.profile, args.profile)
    rows = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            con, truth, names = planted_store(Path(tmp), args.posts, seed)
            docs = store.documents(con, columns=["id", "external_id", "text"]).sort_values("id", ignore_index=True)
            labels = [truth.get(str(e)) for e in docs["external_id"]]
            stop, urls = stop_words(), url_pieces(docs["text"].tolist())
            index = ContentIndex([theme_text(t) for t in docs["text"]], stop, urls | names | ENTITY_NAMES)
            for name, fields in VARIANTS.items():
                if args.variants and name not in args.variants:
                    continue
                started = time.process_time()
                summary = topics.refit_topics(con, params=topics.TopicParams(backend=backend, **fields))
                row = {"variant": name, "seed": seed, **score_run(con, summary["run_id"], docs, labels, index,
                                                                  (stop, urls, names)),
                       "fitted": summary["fitted_on"], "cpu_s": round(time.process_time() - started, 1)}
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k != "labels"}, ensure_ascii=False), flush=True)
            con.close()
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.drop(columns=["labels", "label_problems"]).to_string(index=False))
    OUT.mkdir(exist_ok=True)
    (OUT / f"posts_setup_{args.profile}_{args.posts}.json").write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
