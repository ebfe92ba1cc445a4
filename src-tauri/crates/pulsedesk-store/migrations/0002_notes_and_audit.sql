-- Notes on tickets (internal or for a department) and the audit log of sensitive reads.

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    author_id   INTEGER NOT NULL REFERENCES users (id),
    audience    TEXT    NOT NULL CHECK (audience IN ('internal', 'tech', 'product', 'after_sales')),
    body        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX notes_by_ticket ON notes (ticket_id, id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES users (id),
    action     TEXT    NOT NULL,
    ticket_id  INTEGER REFERENCES tickets (id),
    detail     TEXT    NOT NULL DEFAULT ''
);
