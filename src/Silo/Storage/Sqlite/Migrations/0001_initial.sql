-- Nodes ever seen, their offer and their reputation (the reputation ledger below explains every change).
CREATE TABLE nodes (
    address       TEXT PRIMARY KEY,
    public_key    TEXT NOT NULL,
    backend       TEXT NOT NULL,
    models_json   TEXT NOT NULL,
    hardware_json TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('online', 'offline')),
    first_seen_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL,
    reputation    REAL
);

CREATE TABLE jobs (
    id                TEXT PRIMARY KEY,
    tenant            TEXT NOT NULL,
    model             TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    stream            INTEGER NOT NULL,
    redundancy        INTEGER NOT NULL,
    created_ms        INTEGER NOT NULL,
    completed_ms      INTEGER,
    finish_reason     TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    error_code        TEXT,
    error_message     TEXT,
    verification_json TEXT
);
CREATE INDEX jobs_by_status ON jobs (status, created_ms);
CREATE INDEX jobs_by_tenant ON jobs (tenant, created_ms);

CREATE TABLE assignments (
    id                TEXT PRIMARY KEY,
    job_id            TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    node_address      TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('primary', 'replica')),
    status            TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    replaces          TEXT,
    output            TEXT NOT NULL,
    finish_reason     TEXT,
    error             TEXT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    dispatched_ms     INTEGER NOT NULL,
    ttft_ms           REAL,
    total_ms          REAL
);
CREATE INDEX assignments_by_job ON assignments (job_id, seq);
CREATE INDEX assignments_by_node ON assignments (node_address, dispatched_ms);

CREATE TABLE verdicts (
    job_id        TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    assignment_id TEXT NOT NULL,
    node_address  TEXT NOT NULL,
    verdict       TEXT NOT NULL CHECK (verdict IN ('agree', 'disagree', 'undecided')),
    score         REAL NOT NULL,
    PRIMARY KEY (job_id, assignment_id)
);
CREATE INDEX verdicts_by_node ON verdicts (node_address);

CREATE TABLE reputation_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    node_address TEXT NOT NULL,
    job_id       TEXT,
    outcome      TEXT NOT NULL,
    before       REAL NOT NULL,
    after        REAL NOT NULL,
    reason       TEXT NOT NULL,
    at_ms        INTEGER NOT NULL
);
CREATE INDEX reputation_events_by_node ON reputation_events (node_address, id);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    tenant     TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
