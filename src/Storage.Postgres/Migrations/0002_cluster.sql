-- Which silo holds each node's socket, kept fresh by that silo's heartbeat; every silo schedules over all of them.
CREATE TABLE IF NOT EXISTS node_presence (
    address        text PRIMARY KEY,
    silo_id        text NOT NULL,
    hello          text NOT NULL,
    remote_address text,
    heartbeat_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS node_presence_by_silo ON node_presence (silo_id);

-- Hello signatures already accepted, cluster-wide, until their timestamp could no longer pass anyway.
CREATE TABLE IF NOT EXISTS used_signatures (
    signature  text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS used_signatures_by_expiry ON used_signatures (expires_at);
