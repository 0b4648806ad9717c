-- servicefit serve: the first schema. Portable SQL that SQLite and
-- PostgreSQL both read: text keys made by the server (no autoincrement
-- dialects), times as BIGINT seconds since 1970 (UTC), no boolean type.
-- No IP address, user agent or other network detail is stored anywhere.

-- The secret that signs CSRF tokens, shared by every instance.
CREATE TABLE server_key (
    id BIGINT PRIMARY KEY,
    secret TEXT NOT NULL
);

CREATE TABLE assessor (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Only the SHA-256 of a session token is kept.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    assessor TEXT NOT NULL REFERENCES assessor (name) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);

-- A campaign keeps copies of the questionnaire, norms and profile it was
-- created with, so answers are always scored by the files they were given to.
CREATE TABLE campaign (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role_id TEXT NOT NULL,
    profile_json TEXT NOT NULL,
    profile_source TEXT NOT NULL,
    norms_json TEXT NOT NULL,
    norms_source TEXT NOT NULL,
    questionnaire_json TEXT NOT NULL,
    questionnaire_source TEXT NOT NULL,
    retention_days BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Only the SHA-256 of an invitation token is kept; `id` is a separate
-- random handle for the assessor's pages, never a way in for a candidate.
CREATE TABLE invitation (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    campaign_id TEXT NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consented_at BIGINT,
    submitted_at BIGINT,
    UNIQUE (campaign_id, reference)
);

CREATE TABLE answer (
    invitation_id TEXT NOT NULL REFERENCES invitation (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    value BIGINT,
    PRIMARY KEY (invitation_id, item_id)
);

-- One row per page saved: the seconds spent on it (summed when a page is
-- saved again), for the speed check of response validity.
CREATE TABLE page_saved (
    invitation_id TEXT NOT NULL REFERENCES invitation (id) ON DELETE CASCADE,
    page BIGINT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    saved_at BIGINT NOT NULL,
    PRIMARY KEY (invitation_id, page)
);

-- Who did what to which record (deletions, purges); no candidate answers.
CREATE TABLE audit_log (
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);
