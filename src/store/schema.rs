//! The schema, as an append-only list of migrations: `MIGRATIONS[i]` takes `user_version` i to i+1.
//! Never edit a migration that has shipped; add a new one.

/// Marks a file as ours (`PRAGMA application_id`), so another program's SQLite file is refused.
pub const APPLICATION_ID: i32 = 0x4457_545A; // "DWTZ": 党务台账

pub const MIGRATIONS: &[&str] = &[
    // 1: organisations, committees, members, audit log.
    r#"
    CREATE TABLE org (
        id            INTEGER PRIMARY KEY,
        uid           TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL UNIQUE,
        kind          TEXT NOT NULL CHECK (kind IN ('党组', '党委', '党总支', '党支部')),
        parent_id     INTEGER REFERENCES org(id),
        founded       TEXT,
        term_start    TEXT,
        term_years    INTEGER NOT NULL DEFAULT 3 CHECK (term_years BETWEEN 1 AND 10),
        has_committee INTEGER NOT NULL DEFAULT 1,
        has_groups    INTEGER NOT NULL DEFAULT 0,
        note          TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX org_parent ON org(parent_id);

    CREATE TABLE member (
        id              INTEGER PRIMARY KEY,
        uid             TEXT NOT NULL UNIQUE,
        name            TEXT NOT NULL,
        gender          TEXT CHECK (gender IN ('男', '女')),
        ethnicity       TEXT NOT NULL DEFAULT '',
        birth_date      TEXT,
        id_number       TEXT,
        education       TEXT NOT NULL DEFAULT '',
        job             TEXT NOT NULL DEFAULT '',
        phone           TEXT NOT NULL DEFAULT '',
        org_id          INTEGER NOT NULL REFERENCES org(id),
        category        TEXT NOT NULL
                        CHECK (category IN ('入党申请人', '入党积极分子', '发展对象', '预备党员', '正式党员')),
        applied_on      TEXT,
        activist_on     TEXT,
        candidate_on    TEXT,
        probationary_on TEXT,
        full_on         TEXT,
        party_post      TEXT NOT NULL DEFAULT '',
        introducers     TEXT NOT NULL DEFAULT '',
        status          TEXT NOT NULL DEFAULT '在册' CHECK (status IN ('在册', '转出', '去世', '出党')),
        status_date     TEXT,
        note            TEXT NOT NULL DEFAULT ''
    );
    CREATE UNIQUE INDEX member_id_number ON member(id_number) WHERE id_number IS NOT NULL;
    CREATE INDEX member_org ON member(org_id);
    CREATE INDEX member_name ON member(name);

    CREATE TABLE committee_member (
        id        INTEGER PRIMARY KEY,
        uid       TEXT NOT NULL UNIQUE,
        org_id    INTEGER NOT NULL REFERENCES org(id),
        role      TEXT NOT NULL CHECK (role IN ('书记', '副书记', '委员')),
        name      TEXT NOT NULL,
        member_id INTEGER REFERENCES member(id),
        duty      TEXT NOT NULL DEFAULT '',
        appointed TEXT,
        position  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX committee_org ON committee_member(org_id);

    -- Every change that matters, written in the same transaction as the change.
    CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        uid     TEXT NOT NULL UNIQUE,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        tbl     TEXT NOT NULL,
        row_uid TEXT NOT NULL,
        action  TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
        before  TEXT,
        after   TEXT
    );
    CREATE INDEX audit_row ON audit(tbl, row_uid);
    "#,
];

/// The schema version this build writes.
pub fn latest_version() -> i32 {
    MIGRATIONS.len() as i32
}
