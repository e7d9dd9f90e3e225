"""Narrative Timeline — the app a developer runs from the checkout: `streamlit run app.py` (or `make app`).

Everything is in the installed package (`analytics/app/`); `narrative app` serves the same frame and pages.
"""

from analytics.app.frame import main

# Streamlit runs this file as __main__. The guard keeps it inert when a worker process started with
# multiprocessing's "spawn" (Dask's LocalCluster) re-imports the parent's main module as __mp_main__.
if __name__ == "__main__":
    main()
