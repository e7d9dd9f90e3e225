"""The store's schema as a list of migrations: each takes the store from version i to i + 1."""

from __future__ import annotations

SCHEMA_VERSION = 7

# Each migration takes the store from version i to i + 1. Append, never edit a released one.
MIGRATIONS: list[str] = [
    """
    CREATE SEQUENCE IF NOT EXISTS run_seq START 1;
    CREATE TABLE IF NOT EXISTS runs (
        run_id BIGINT PRIMARY KEY, kind VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP, status VARCHAR NOT NULL, params JSON, versions JSON, counts JSON
    );
    CREATE TABLE IF NOT EXISTS documents (
        id VARCHAR PRIMARY KEY, external_id VARCHAR, date TIMESTAMP, date_precision VARCHAR NOT NULL,
        date_origin VARCHAR NOT NULL, source VARCHAR, source_type VARCHAR NOT NULL, title VARCHAR,
        text VARCHAR NOT NULL, url VARCHAR, language VARCHAR, author VARCHAR, metadata JSON,
        input_file VARCHAR, input_row BIGINT, words INTEGER, duplicate_of VARCHAR, similarity DOUBLE,
        run_id BIGINT
    );
    CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
    CREATE TABLE IF NOT EXISTS duplicates (
        run_id BIGINT, input_file VARCHAR, input_row BIGINT, original_id VARCHAR, kind VARCHAR, similarity DOUBLE
    );
    CREATE TABLE IF NOT EXISTS rejects (
        run_id BIGINT, input_file VARCHAR, input_row BIGINT, reason VARCHAR, preview VARCHAR
    );
    CREATE TABLE IF NOT EXISTS processed (
        doc_id VARCHAR, stage VARCHAR, version VARCHAR, PRIMARY KEY (doc_id, stage, version)
    );
    CREATE TABLE IF NOT EXISTS entities (
        doc_id VARCHAR NOT NULL, start_char INTEGER, end_char INTEGER, sent_start INTEGER, sent_end INTEGER,
        text VARCHAR, label VARCHAR, canonical_id VARCHAR, canonical_name VARCHAR, origin VARCHAR,
        pipeline_version VARCHAR
    );
    CREATE INDEX IF NOT EXISTS entities_doc ON entities(doc_id);
    CREATE TABLE IF NOT EXISTS embeddings (
        doc_id VARCHAR, model VARCHAR, passage INTEGER, start_char INTEGER, end_char INTEGER, vector FLOAT[],
        PRIMARY KEY (doc_id, model, passage)
    );
    CREATE TABLE IF NOT EXISTS topics (
        run_id BIGINT, topic_id INTEGER, label VARCHAR, words JSON, size INTEGER, centroid FLOAT[],
        PRIMARY KEY (run_id, topic_id)
    );
    CREATE TABLE IF NOT EXISTS doc_topics (
        run_id BIGINT, doc_id VARCHAR, topic_id INTEGER, probability DOUBLE, PRIMARY KEY (run_id, doc_id)
    );
    CREATE TABLE IF NOT EXISTS doc_topic_weights (
        run_id BIGINT, doc_id VARCHAR, topic_id INTEGER, weight DOUBLE
    );
    CREATE TABLE IF NOT EXISTS topic_changes (
        run_id BIGINT, topic_id INTEGER, previous_topic_id INTEGER, change VARCHAR, similarity DOUBLE
    );
    CREATE TABLE IF NOT EXISTS topic_labels (topic_id INTEGER PRIMARY KEY, custom_label VARCHAR, edited_at TIMESTAMP);
    CREATE TABLE IF NOT EXISTS topic_merges (
        from_topic_id INTEGER PRIMARY KEY, into_topic_id INTEGER, edited_at TIMESTAMP
    );
    CREATE TABLE IF NOT EXISTS events (
        date TIMESTAMP, date_precision VARCHAR, label VARCHAR, description VARCHAR, kind VARCHAR
    );
    CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    """,
    # v2: MinHash signatures of stored originals, so the near-duplicate index is not rebuilt from all texts.
    """
    CREATE TABLE IF NOT EXISTS minhashes (doc_id VARCHAR PRIMARY KEY, signature BLOB);
    """,
    # v3: one row per document and actor with its mention count, so the pages count documents with count(*)
    # (no DISTINCT) over fewer rows than the mentions; written with the mentions (store.refresh_doc_actors) and
    # filled here from the mentions already stored. Name and label: the smallest of the actor's mentions there.
    """
    CREATE TABLE IF NOT EXISTS doc_actors (
        doc_id VARCHAR NOT NULL, canonical_id VARCHAR, canonical_name VARCHAR, label VARCHAR,
        mentions INTEGER NOT NULL
    );
    DELETE FROM doc_actors;
    INSERT INTO doc_actors
    SELECT doc_id, canonical_id, min(canonical_name), min(label), count(*) FROM entities GROUP BY doc_id, canonical_id;
    """,
    # v4: the traces of posts (URLs, domains, hashtags, mentions, retweet/quote/reply/forward links; see
    # ingest/social.py) and which documents are copies (retweets, forwards) of which stored original.
    """
    CREATE TABLE IF NOT EXISTS doc_traces (
        doc_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, value VARCHAR, position INTEGER, post_id VARCHAR
    );
    CREATE TABLE IF NOT EXISTS doc_copies (doc_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, original_id VARCHAR);
    """,
    # v5: background analysis jobs (one row per job: what it runs, where it got to, how it ended; its live
    # progress is in a small status file beside the store, as the job holds the store's write lock) and the log of
    # the readers' edits of the shared store (rename, merge, refit), each with what undoes it.
    """
    CREATE SEQUENCE IF NOT EXISTS job_seq START 1;
    CREATE TABLE IF NOT EXISTS jobs (
        job_id BIGINT PRIMARY KEY, kind VARCHAR NOT NULL, status VARCHAR NOT NULL, params JSON,
        started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, stage VARCHAR, message VARCHAR, pid INTEGER
    );
    CREATE SEQUENCE IF NOT EXISTS edit_seq START 1;
    CREATE TABLE IF NOT EXISTS edits (
        edit_id BIGINT PRIMARY KEY, edited_at TIMESTAMP NOT NULL, kind VARCHAR NOT NULL, summary VARCHAR NOT NULL,
        detail JSON, undone_at TIMESTAMP
    );
    """,
    # v6: the word index the search asks before reading texts (analytics/search_index.py): every term written in a
    # document's title or text, once (search_terms), and per term the documents holding it (search_postings: one
    # row per term and indexing batch: how many documents, and their integer codes of search_docs). Filled by
    # the analysis.
    """
    CREATE TABLE IF NOT EXISTS search_docs (doc_code INTEGER NOT NULL, doc_id VARCHAR NOT NULL);
    CREATE TABLE IF NOT EXISTS search_terms (term_id INTEGER NOT NULL, term VARCHAR NOT NULL);
    CREATE TABLE IF NOT EXISTS search_postings (
        term_id INTEGER NOT NULL, size INTEGER NOT NULL, docs INTEGER[] NOT NULL
    );
    """,
    # v7: integer codes for the actor questions (pairs named together). Joining doc_actors to documents on the
    # string id cost 0.3 s of CPU at a million documents, and coding 390k canonical ids at every question another
    # 0.5 s. Every document gets a code when it is stored (the column's default); every canonical id one when it is
    # first counted (actor_codes); doc_actors carries both, and each actor's sentence starts in the document (for
    # the pairs named in one sentence, without reading the mentions). Codes are never reused or changed. Filled
    # here by counting doc_actors again from the mentions (store.refresh_doc_actors writes the same rows);
    # doc_topics carries the document's code too (the themes' actors, for the merge suggestions).
    """
    CREATE SEQUENCE IF NOT EXISTS doc_code_seq START 0 MINVALUE 0;
    ALTER TABLE documents ADD COLUMN IF NOT EXISTS doc_code INTEGER DEFAULT nextval('doc_code_seq');
    CREATE SEQUENCE IF NOT EXISTS actor_code_seq START 0 MINVALUE 0;
    CREATE TABLE IF NOT EXISTS actor_codes (
        canonical_id VARCHAR PRIMARY KEY, actor INTEGER NOT NULL DEFAULT nextval('actor_code_seq')
    );
    ALTER TABLE doc_actors ADD COLUMN IF NOT EXISTS doc_code INTEGER;
    ALTER TABLE doc_actors ADD COLUMN IF NOT EXISTS actor INTEGER;
    ALTER TABLE doc_actors ADD COLUMN IF NOT EXISTS sentences INTEGER[];
    INSERT INTO actor_codes (canonical_id)
    SELECT DISTINCT canonical_id FROM entities
    WHERE canonical_id IS NOT NULL AND canonical_id NOT IN (SELECT canonical_id FROM actor_codes) ORDER BY 1;
    DELETE FROM doc_actors;
    INSERT INTO doc_actors (doc_id, canonical_id, canonical_name, label, mentions, doc_code, actor, sentences)
    SELECT m.doc_id, m.canonical_id, min(m.canonical_name), min(m.label), count(*), any_value(d.doc_code),
           any_value(c.actor), list_sort(list_distinct(list(m.sent_start)))
    FROM entities m LEFT JOIN documents d ON d.id = m.doc_id LEFT JOIN actor_codes c ON c.canonical_id = m.canonical_id
    GROUP BY m.doc_id, m.canonical_id;
    ALTER TABLE doc_topics ADD COLUMN IF NOT EXISTS doc_code INTEGER;
    UPDATE doc_topics SET doc_code = d.doc_code FROM documents d WHERE d.id = doc_topics.doc_id;
    """,
]
