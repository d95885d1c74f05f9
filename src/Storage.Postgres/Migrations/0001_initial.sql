-- The schema of the SQLite store after its migrations 0001 and 0002, in PostgreSQL's own types, plus what a cluster
-- needs: which process last saved a job, and the silos' heartbeats that say whether that process is still alive.
-- Times are timestamptz, written at millisecond precision like the SQLite store's *_ms columns; durations stay ms.

-- Nodes ever seen and what they offered; uptime is the share of a node's life it was online.
CREATE TABLE nodes (
    address          text PRIMARY KEY,
    public_key       text NOT NULL,
    backend          text NOT NULL,
    models_json      jsonb NOT NULL,
    hardware_json    jsonb NOT NULL,
    status           text NOT NULL CHECK (status IN ('online', 'offline')),
    first_seen_at    timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    online_ms_total  bigint NOT NULL DEFAULT 0,
    session_start_at timestamptz,
    operator         text
);

CREATE TABLE jobs (
    id                text PRIMARY KEY,
    tenant            text NOT NULL,
    model             text NOT NULL,
    status            text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    stream            boolean NOT NULL,
    redundancy        integer NOT NULL,
    created_at        timestamptz NOT NULL,
    completed_at      timestamptz,
    finish_reason     text,
    prompt_tokens     integer,
    completion_tokens integer,
    error_code        text,
    error_message     text,
    verification_json jsonb,
    -- The process (PostgresOptions.ProcessId, a silos.id) that saved the job last, and when, by the database's clock.
    owner             text,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX jobs_by_status ON jobs (status, created_at);
CREATE INDEX jobs_by_tenant ON jobs (tenant, created_at);
-- The rescuer's scan: running jobs not saved for a while.
CREATE INDEX jobs_by_status_updated ON jobs (status, updated_at);

CREATE TABLE assignments (
    id                text PRIMARY KEY,
    job_id            text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq               integer NOT NULL,
    node_address      text NOT NULL,
    role              text NOT NULL CHECK (role IN ('primary', 'replica')),
    status            text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    replaces          text,
    output            text NOT NULL,
    finish_reason     text,
    error             text,
    prompt_tokens     integer,
    completion_tokens integer,
    dispatched_at     timestamptz NOT NULL,
    ttft_ms           double precision,
    total_ms          double precision
);
CREATE INDEX assignments_by_job ON assignments (job_id, seq);
CREATE INDEX assignments_by_node ON assignments (node_address, dispatched_at);

-- Each verdict keeps the reason it was reached (replay, truncation, low similarity, canary).
CREATE TABLE verdicts (
    job_id        text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    assignment_id text NOT NULL,
    node_address  text NOT NULL,
    verdict       text NOT NULL CHECK (verdict IN ('agree', 'disagree', 'undecided')),
    score         double precision NOT NULL,
    reason        text,
    PRIMARY KEY (job_id, assignment_id)
);
CREATE INDEX verdicts_by_node ON verdicts (node_address);

-- Standing per node, and a ledger of every change to it.
CREATE TABLE node_trust (
    address           text PRIMARY KEY,
    agreement         double precision NOT NULL,
    completion        double precision NOT NULL,
    speed             double precision NOT NULL,
    uptime            double precision NOT NULL,
    stake             double precision NOT NULL,
    points            double precision NOT NULL,
    offences          integer NOT NULL,
    verdicts          integer NOT NULL,
    cooling_off_until timestamptz,
    ejected_at        timestamptz,
    ejected_reason    text
);

CREATE TABLE trust_events (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node_address      text NOT NULL,
    job_id            text,
    kind              text NOT NULL CHECK (kind IN ('reward', 'slash', 'failure', 'unverified', 'ejected')),
    reputation_before double precision NOT NULL,
    reputation_after  double precision NOT NULL,
    stake_delta       double precision NOT NULL,
    points_delta      double precision NOT NULL,
    reason            text NOT NULL,
    occurred_at       timestamptz NOT NULL
);
CREATE INDEX trust_events_by_node ON trust_events (node_address, id);

CREATE TABLE api_keys (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    tenant     text NOT NULL,
    key_hash   text NOT NULL UNIQUE,
    prefix     text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- Every silo (and gateway) process in the cluster, with its own queue; a heartbeat older than the lease means gone.
CREATE TABLE silos (
    id           text PRIMARY KEY,
    queue        text NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    draining     boolean NOT NULL DEFAULT false
);
