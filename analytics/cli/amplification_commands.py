"""Commands about how posts are pushed: coordination (accounts that post the same thing within seconds of each other,
more often than chance gives)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import click

from .base import DB_OPTION, friendly_errors, main, open_corpus, setting_option


@main.command("coordination")
@setting_option("--window", "coordination_window", metavar="SECONDS")
@setting_option("--null-window", "null_window", metavar="SECONDS")
@setting_option("--min-repeats", "min_repeats")
@setting_option("--crowd-limit", "crowd_limit")
@setting_option("--kinds", "coordination_kinds")
@setting_option("--cluster-method", "cluster_method")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="Only posts from this day on (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Only posts up to this day (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per group: accounts, "
              "shared_items, first_seen, last_seen, n_documents, score, p_value, q_value, doc_ids (and the pairs).")
@click.option("--network", "network", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the network of tested pairs for Gephi (.gexf or .graphml, by the suffix).")
@DB_OPTION
@friendly_errors
def coordination(coordination_window: int, null_window: int, min_repeats: int, crowd_limit: int,
                 coordination_kinds: str, cluster_method: str, start: dt.datetime | None, end: dt.datetime | None,
                 as_json: bool, network: Path | None, db: Path) -> None:
    """Groups of accounts that post the same links, texts or hashtags within seconds of each other more often than
    chance gives, and the pairs of accounts behind each group."""
    from ..amplification import WHAT_A_GROUP_IS, CoordinationParams
    from ..amplification import contracts as c
    from ..filters import Filters

    params = CoordinationParams(coordination_window=coordination_window, null_window=null_window,
                                min_repeats=min_repeats, crowd_limit=crowd_limit,
                                coordination_kinds=coordination_kinds, cluster_method=cluster_method)
    corpus = open_corpus(db)
    filters = Filters(start=start, end=end)
    found = corpus.coordination(filters, params)
    if network is not None:
        network.write_bytes(corpus.coordination_network(network.suffix.lower().lstrip("."), filters, params))
    if as_json:
        click.echo(json.dumps(found.as_json(with_pairs=True), ensure_ascii=False, indent=1))
        return
    click.echo(textwrap.fill(found.summary, 110))
    if found.clusters.empty:
        click.echo("\nNo group of accounts posted together more often than chance gives.")
    for sentence, (_, group) in zip(found.sentences, found.clusters.iterrows(), strict=True):
        click.echo("\n" + textwrap.fill(sentence, 110))
        click.echo(f"  shared items: {', '.join(found.readable(i) for i in group[c.SHARED_ITEMS][:8])}"
                   f"{', …' if len(group[c.SHARED_ITEMS]) > 8 else ''}")
        pairs = found.pairs[found.pairs[c.CLUSTER] == group[c.CLUSTER]]
        click.echo(f"  the {len(pairs)} pairs behind it (posting together / expected by chance, q-value):")
        for _, pair in pairs.iterrows():
            click.echo(f"    {pair[c.ACCOUNT_A]} – {pair[c.ACCOUNT_B]}: {pair[c.CO_POSTS]} times / "
                       f"{pair[c.EXPECTED]:.2f}, q = {pair[c.Q_VALUE]:.2g}")
        ids = group[c.DOC_IDS]
        click.echo(f"  posts: {', '.join(ids[:10])}{f' … ({len(ids)} in all)' if len(ids) > 10 else ''}")
    if network is not None:
        click.echo(f"\nwrote {network}")
    click.echo("\n" + textwrap.fill(WHAT_A_GROUP_IS, 110))
