"""Business settings the team shares (issue 20): each shared key's time as last known here,
and whether this laptop changed it since it last reached the hub (``crmdesk.core.sync.
team_settings``)."""

STATEMENTS = [
    'CREATE TABLE "sync_setting" ("key" VARCHAR(100) NOT NULL PRIMARY KEY, "hlc" VARCHAR(60) NOT NULL, '
    '"pending" INTEGER NOT NULL DEFAULT 0)',
]


def up(db) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
