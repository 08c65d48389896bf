"""An import matches rows to existing customers by code, phone, email and exact name; the
e-mail needed an index (the others had theirs) so that matching stays a look-up at a
million customers."""


def up(db) -> None:
    db.execute_sql('CREATE INDEX "customer_email" ON "customer" ("email")')
