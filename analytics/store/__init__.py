"""The DuckDB store: every SQL statement of the project lives in this package, cut by concern.

One file per corpus. Writers open it read-write for as short a time as they can and do each stage's writes in
one transaction, so a kill leaves the last committed state; readers (the app, the report) open it read-only.

- `connection`: opening (retries while another process writes), transactions, migrations, bulk inserts;
- `migrations`: the schema, one migration per version;
- `runs`: stage runs and the store's key/value settings;
- `documents`: documents, rejects, duplicates, exports;
- `entities`: mentions and per-document actor counts;
- `embeddings`: the passage-vector cache;
- `topics`: fits, assignments, labels and merges;
- `events`: event annotations;
- `scope`: the documents under a set of filters, as SQL conditions;
- `actors`: actor counts, totals, pairs;
- `traces`: the traces of posts (links, hashtags, mentions, retweets) and which documents are copies;
- `amplification`: posts and their traces under a scope, as the amplification functions read them;
- `queries`: documents for the pages, the report and the Corpus;
- `search`: the word index the search asks before reading texts;
- `jobs`: background analysis jobs (what runs, where it got to, how it ended);
- `edits`: the log of readers' edits of a shared store, with what undoes each.

`from analytics import store; store.connect(...)` reaches every function through this module.
"""

from .actors import (
    actor_documents,
    actor_incidence,
    actor_period_counts,
    actor_totals,
    doc_actors,
    mentions,
)
from .amplification import (
    carrying,
    near_duplicate_links,
    openings,
    post_counts,
    post_dates,
    post_traces,
    posts,
    posts_per_account,
    traced_documents,
)
from .connection import (
    connect,
    insert_frame,
    memory_limited,
    migrate,
    migrate_store,
    opened,
    reads_kept_open,
    schema_version,
    stored_version,
    transaction,
    transaction_in_steps,
)
from .documents import (
    EXPORTABLE_TABLES,
    corpus_batches,
    corpus_texts,
    counts,
    document_batches,
    document_count,
    documents,
    duplicates,
    export_table,
    minhash_signature_batches,
    rejects,
    status_tables,
    stored_runs,
)
from .edits import (
    custom_label,
    edit,
    edits,
    log_edit,
    mark_undone,
    merge_target,
    merged_into,
    restore_merges,
    set_run_status,
)
from .embeddings import cached_embeddings, has_embeddings, save_embeddings
from .entities import insert_mentions, refresh_doc_actors, replace_mentions, stored_mentions, unprocessed_documents
from .events import events, replace_events
from .jobs import JOB_COLUMNS, finish_job, job_stage, jobs, pending_analysis, start_job
from .migrations import MIGRATIONS, SCHEMA_VERSION
from .queries import (
    DOC_CITE_COLUMNS,
    DOC_LIST_COLUMNS,
    date_range,
    dated_count,
    dates,
    distinct_values,
    document,
    document_entities,
    document_list,
    document_mentions_version,
    period_counts,
    processed_versions,
    search_documents,
    summary,
    texts,
    texts_with_types,
    timeline_documents,
    with_words,
)
from .runs import (
    finish_run,
    get_meta,
    has_finished_run,
    last_run,
    runs,
    save_run_counts,
    set_meta,
    start_run,
    unfinished_run,
)
from .scope import Scope, scope
from .search import index_size, index_words, word_candidates, words_scope
from .topics import (
    add_doc_topics,
    assignments,
    doc_topic_table,
    document_topics,
    merge_topic,
    representative_documents,
    save_topic_fit,
    set_topic_label,
    theme_actor_counts,
    theme_counts,
    theme_texts,
    topic_changes,
    topic_run_id,
    topic_table,
    unassigned_doc_ids,
    unmerge_topic,
)
from .traces import TRACE_COLUMNS, copies, insert_traces, link_copies, platform_table, traces

__all__ = [
    "DOC_CITE_COLUMNS",
    "DOC_LIST_COLUMNS",
    "EXPORTABLE_TABLES",
    "JOB_COLUMNS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TRACE_COLUMNS",
    "Scope",
    "actor_documents",
    "actor_incidence",
    "actor_period_counts",
    "actor_totals",
    "add_doc_topics",
    "assignments",
    "cached_embeddings",
    "carrying",
    "connect",
    "copies",
    "corpus_batches",
    "corpus_texts",
    "counts",
    "custom_label",
    "date_range",
    "dated_count",
    "dates",
    "distinct_values",
    "doc_actors",
    "doc_topic_table",
    "document",
    "document_batches",
    "document_count",
    "document_entities",
    "document_list",
    "document_mentions_version",
    "document_topics",
    "documents",
    "duplicates",
    "edit",
    "edits",
    "events",
    "export_table",
    "finish_job",
    "finish_run",
    "get_meta",
    "has_embeddings",
    "has_finished_run",
    "index_size",
    "index_words",
    "insert_frame",
    "insert_mentions",
    "insert_traces",
    "job_stage",
    "jobs",
    "last_run",
    "link_copies",
    "log_edit",
    "mark_undone",
    "memory_limited",
    "mentions",
    "near_duplicate_links",
    "merge_target",
    "merge_topic",
    "merged_into",
    "migrate",
    "migrate_store",
    "minhash_signature_batches",
    "opened",
    "reads_kept_open",
    "openings",
    "pending_analysis",
    "period_counts",
    "platform_table",
    "post_counts",
    "post_dates",
    "post_traces",
    "posts",
    "posts_per_account",
    "processed_versions",
    "refresh_doc_actors",
    "rejects",
    "replace_events",
    "replace_mentions",
    "representative_documents",
    "restore_merges",
    "runs",
    "save_embeddings",
    "save_topic_fit",
    "schema_version",
    "scope",
    "search_documents",
    "set_meta",
    "set_run_status",
    "set_topic_label",
    "start_job",
    "save_run_counts",
    "start_run",
    "stored_runs",
    "status_tables",
    "stored_mentions",
    "stored_version",
    "summary",
    "texts",
    "texts_with_types",
    "theme_actor_counts",
    "theme_counts",
    "theme_texts",
    "timeline_documents",
    "topic_changes",
    "topic_run_id",
    "topic_table",
    "traced_documents",
    "traces",
    "transaction",
    "transaction_in_steps",
    "unfinished_run",
    "unassigned_doc_ids",
    "unmerge_topic",
    "unprocessed_documents",
    "with_words",
    "word_candidates",
    "words_scope",
]
