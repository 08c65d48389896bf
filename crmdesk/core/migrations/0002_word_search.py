"""A second full-text index over ``customer.search_text``, with the unicode61 tokenizer:
the search text holds every Chinese character also on its own, so one- and two-character
searches (most Chinese surnames and names) are index look-ups, not table scans; the
trigram index needs three characters. Existing rows get the spaced characters of their
search text first (before the new triggers exist), then ``rebuild`` indexes them."""

import re

_CJK = re.compile(r"[\u3400-\u9fff]")


def _spaced(text):
    return " ".join(_CJK.findall(text or ""))

SEARCH = [
    "CREATE VIRTUAL TABLE customer_words USING fts5(search_text, content='customer', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER customer_words_insert AFTER INSERT ON customer BEGIN "
    "INSERT INTO customer_words(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER customer_words_delete AFTER DELETE ON customer BEGIN "
    "INSERT INTO customer_words(customer_words, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER customer_words_update AFTER UPDATE OF search_text ON customer BEGIN "
    "INSERT INTO customer_words(customer_words, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO customer_words(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO customer_words(customer_words) VALUES ('rebuild')",
]


def up(db) -> None:
    db.connection().create_function("crm_spaced", 1, _spaced, deterministic=True)
    db.execute_sql("UPDATE customer SET search_text = search_text || ' ' || crm_spaced(search_text) "
                   "WHERE search_text GLOB '*[一-龥]*'")
    for statement in SEARCH:
        db.execute_sql(statement)
