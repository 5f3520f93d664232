"""The dataset contract: table names, column names and the schema version.

Every table is a tidy pandas DataFrame (one row per record) stored as one
Parquet file per table in the dataset folder, next to ``manifest.json``.
The UI and the exports only ever refer to columns through these constants.
"""

from __future__ import annotations

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
TABLE_SUFFIX = ".parquet"

# -- table names --------------------------------------------------------------
ARTICLES = "articles"
SENTENCES = "sentences"
PEOPLE = "people"
MENTIONS = "mentions"
CLAIMS = "claims"
STANCES = "stances"
QUESTIONS = "questions"
EVENTS = "events"
ACTORS = "actors"
RELATIONS = "relations"

# -- shared column names --------------------------------------------------------
ARTICLE_ID = "article_id"
SENTENCE_ID = "sentence_id"
PERSON_ID = "person_id"
CLAIM_ID = "claim_id"
QUESTION_ID = "question_id"
EVENT_ID = "event_id"
ACTOR_ID = "actor_id"
RELATION_ID = "relation_id"
TEXT = "text"
START_CHAR = "start_char"
END_CHAR = "end_char"

# -- per-table columns (order is the on-disk order) ---------------------------------
COLUMNS: dict[str, list[str]] = {
    ARTICLES: [
        ARTICLE_ID, "file", "title", "outlet", "author", "url",
        "published",            # ISO date (stated or inferred), "" if unknown
        "published_inferred",   # True when the date was inferred from the text
        "published_source",     # metadata | text | inferred | none
        "format",               # interview | op-ed | news
        "content_hash", "n_sentences", "n_words",
        TEXT,                   # the cleaned text; sentence spans index into it
        "notes",                # cleaning / decoding notes, "; "-joined
    ],
    SENTENCES: [
        SENTENCE_ID, ARTICLE_ID, "idx", START_CHAR, END_CHAR, TEXT,
        "block",                # body | caption | heading | dateline | note
    ],
    PEOPLE: [
        PERSON_ID, "name", "role",   # expert | official | journalist | author
        "title", "affiliation", "country", "aliases", "articles",
        "n_claims",
    ],
    MENTIONS: [
        ARTICLE_ID, SENTENCE_ID, START_CHAR, END_CHAR, TEXT,
        "kind",                 # actor | person | date
        "ref",                  # actor code | person_id | ISO date
        "via",                  # name | surname | pronoun | description | alias | ...
    ],
    CLAIMS: [
        CLAIM_ID, ARTICLE_ID, SENTENCE_ID, PERSON_ID, TEXT,
        "kind",                 # quote | reported | according_to | turn | author
        "cue",                  # the word or mark that attributed it
        "held",                 # False when the speaker reports a view to reject it
        START_CHAR, END_CHAR,
    ],
    STANCES: [
        "stance_id", CLAIM_ID, PERSON_ID, QUESTION_ID,
        "stance",               # yes | no | mixed
        "cue", ARTICLE_ID, SENTENCE_ID, TEXT,
    ],
    QUESTIONS: [QUESTION_ID, "question", "label"],
    EVENTS: [
        EVENT_ID, "date", "precision",   # day | month | season | year
        "date_start", "date_end",        # ISO days covering the date
        TEXT, ARTICLE_ID, SENTENCE_ID,
        "actors",               # actor codes joined by ";"
        "expression",           # the temporal expression as written
        "relative",             # True when resolved against the anchor date
        "uncertain",            # True when the anchor itself was inferred
        "block",
    ],
    ACTORS: [ACTOR_ID, "name", "type", "n_mentions", "n_articles"],
    RELATIONS: [
        RELATION_ID, "source", "target",
        "kind",                 # cooperation | conflict
        "quad",                 # verbal_cooperation | material_cooperation | ...
        "cue", "weight", ARTICLE_ID, SENTENCE_ID, TEXT, PERSON_ID,
    ],
}

TABLES: tuple[str, ...] = tuple(COLUMNS)

ROLES = ("expert", "official", "journalist", "author")
STANCE_VALUES = ("yes", "no", "mixed")
PRECISIONS = ("day", "month", "season", "year")
RELATION_KINDS = ("cooperation", "conflict")
QUADS = (
    "verbal_cooperation", "material_cooperation",
    "verbal_conflict", "material_conflict",
)
