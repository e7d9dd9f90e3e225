"""Amplification: who posted it first, who copied, which accounts act in concert.

Pure functions over tidy frames (no SQL, no Streamlit); the store supplies the frames and the faces draw the results.
Input contracts (full description in `contracts`; the settings in `settings`):
- posts: id, date (UTC, with the time of day), source (the account or channel), optional source_type, author,
  duplicate_of (near-duplicate link from ingest), date_precision;
- traces: doc_id, kind (url, domain, hashtag, mention, retweet_of, reply_to, quote_of, forward_from), value
  (normalised by ingest), position;
- assignments (optional): doc_id, topic_id.

- `cascades`: for every near-duplicate cluster, shared link and hashtag, the first poster and who followed, in order.
- `coordination`: pairs of accounts that post the same items within seconds of each other more often than chance,
  with p- and q-values, and the groups they form.
- `trends`: hashtags, domains and mentions per period with their denominators; top items; emerging ones, tested.
- `network`: the coordination network as a networkx graph, written as GEXF or GraphML for Gephi.
"""

from __future__ import annotations

from .cascades import cascade_events, cascades, cascades_from_events
from .contracts import AmplificationInputError
from .coordination import Coordination, coordination, coordination_from_items
from .coordination_views import WHAT_A_GROUP_IS, cluster_sentences, clusters_json, coordination_summary
from .items import hashtag_sequences, near_duplicate_clusters, shared_items
from .network import coordination_graph, main_source_types, network_bytes, write_network
from .settings import SETTINGS, CoordinationParams
from .trends import emerging_traces, top_per_period, trace_shares

__all__ = [
    "SETTINGS",
    "WHAT_A_GROUP_IS",
    "AmplificationInputError",
    "Coordination",
    "CoordinationParams",
    "cascade_events",
    "cascades",
    "cascades_from_events",
    "cluster_sentences",
    "clusters_json",
    "coordination",
    "coordination_from_items",
    "coordination_graph",
    "coordination_summary",
    "emerging_traces",
    "hashtag_sequences",
    "main_source_types",
    "near_duplicate_clusters",
    "network_bytes",
    "shared_items",
    "top_per_period",
    "trace_shares",
    "write_network",
]
