"""The installed app's entry script: `narrative app` runs `streamlit run` on this file."""

from analytics.app.frame import main

# Streamlit runs this file as __main__. The guard keeps it inert when a worker process started with
# multiprocessing's "spawn" (Dask's LocalCluster) re-imports the parent's main module as __mp_main__.
if __name__ == "__main__":
    main()
