-- Trust replaces the single reputation number: standing per node, and a ledger of every change.
CREATE TABLE node_trust (
    address             TEXT PRIMARY KEY,
    agreement           REAL NOT NULL,
    completion          REAL NOT NULL,
    speed               REAL NOT NULL,
    uptime              REAL NOT NULL,
    stake               REAL NOT NULL,
    points              REAL NOT NULL,
    offences            INTEGER NOT NULL,
    verdicts            INTEGER NOT NULL,
    cooling_off_until_ms INTEGER,
    ejected_ms          INTEGER,
    ejected_reason      TEXT
);

CREATE TABLE trust_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    node_address      TEXT NOT NULL,
    job_id            TEXT,
    kind              TEXT NOT NULL CHECK (kind IN ('reward', 'slash', 'failure', 'unverified', 'ejected')),
    reputation_before REAL NOT NULL,
    reputation_after  REAL NOT NULL,
    stake_delta       REAL NOT NULL,
    points_delta      REAL NOT NULL,
    reason            TEXT NOT NULL,
    at_ms             INTEGER NOT NULL
);
CREATE INDEX trust_events_by_node ON trust_events (node_address, id);

DROP TABLE reputation_events;
ALTER TABLE nodes DROP COLUMN reputation;

-- Uptime is the share of a node's life it was online; operators link nodes for replica diversity.
ALTER TABLE nodes ADD COLUMN online_ms_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN session_start_ms INTEGER;
ALTER TABLE nodes ADD COLUMN operator TEXT;

-- Each verdict keeps the reason it was reached (replay, truncation, low similarity, canary).
ALTER TABLE verdicts ADD COLUMN reason TEXT;
