"""Amplification: who posted it first, who copied, which accounts act in concert.

Pure functions over tidy frames (no SQL, no Streamlit); the store supplies the frames and the faces draw the results.
The input contracts — posts, traces, assignments — are documented in `contracts`; the settings in `settings`.

- `cascades`: for every near-duplicate cluster, shared link and hashtag, the first poster and who followed, in order.
- `coordination`: pairs of accounts that post the same items within seconds of each other more often than chance,
  with p- and q-values, and the groups they form.
- `trends`: hashtags, domains and mentions per period with their denominators; top items; emerging ones, tested.
- `network`: the coordination network as a networkx graph, written as GEXF or GraphML for Gephi.
"""

from __future__ import annotations

from .contracts import AmplificationInputError
from .coordination import Coordination, clusters_json, coordination
from .items import hashtag_sequences, near_duplicate_clusters, shared_items
from .settings import SETTINGS, CoordinationParams

__all__ = [
    "SETTINGS",
    "AmplificationInputError",
    "Coordination",
    "CoordinationParams",
    "clusters_json",
    "coordination",
    "hashtag_sequences",
    "near_duplicate_clusters",
    "shared_items",
]
