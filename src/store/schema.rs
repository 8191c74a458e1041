//! The schema, as an append-only list of migrations: `MIGRATIONS[i]` takes `user_version` i to i+1.
//! Never edit a migration that has shipped; add a new one.
//!
//! A ledger on a server is made at the latest version from the schema these migrations give a
//! file (store::server::schema_statements), and its version kept in `dangwu_meta`. The migrations
//! from 11 on run on servers too, translated by `server::table_sql` (types, keys) and
//! `store::dialect` (functions): write them in the SQL both share — CREATE TABLE, ALTER TABLE …
//! ADD COLUMN, CREATE INDEX, UPDATE with portable expressions — not SQLite's table rebuilds,
//! `printf`, `randomblob` or pragmas (migrations 1–10 use those; no server ledger predates them).

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
    // 2: the 三会一课 and study ledger: activity types (built-ins seeded), records, attendance, attachments.
    r#"
    CREATE TABLE activity_type (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        grp         TEXT NOT NULL,
        label       TEXT NOT NULL UNIQUE,
        frequency   TEXT NOT NULL CHECK (frequency IN ('每月', '每季度', '每年', '不作要求')),
        expected_of TEXT NOT NULL CHECK (expected_of IN ('党支部', '党组/党委', '不限')),
        requires    TEXT NOT NULL DEFAULT '无' CHECK (requires IN ('无', '设有支委会', '设有党小组')),
        builtin     INTEGER NOT NULL DEFAULT 0,
        hidden      INTEGER NOT NULL DEFAULT 0,
        position    INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO activity_type (uid, grp, label, frequency, expected_of, requires, builtin, hidden, position) VALUES
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '三会一课', '党员大会', '每季度', '党支部', '无', 1, 0, 0),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '三会一课', '支委会', '每月', '党支部', '设有支委会', 1, 0, 1),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '三会一课', '党小组会', '每月', '党支部', '设有党小组', 1, 0, 2),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '三会一课', '党课', '每季度', '党支部', '无', 1, 0, 3),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '主题党日', '主题党日', '每月', '党支部', '无', 1, 0, 4),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '组织生活', '组织生活会', '每年', '党支部', '无', 1, 0, 5),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '组织生活', '民主评议党员', '每年', '党支部', '无', 1, 0, 6),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '组织生活', '民主生活会', '每年', '党组/党委', '无', 1, 0, 7),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '理论学习', '党组理论学习中心组学习', '不作要求', '党组/党委', '无', 1, 0, 8),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '理论学习', '集中学习', '不作要求', '不限', '无', 1, 0, 9),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '理论学习', '研讨交流', '不作要求', '不限', '无', 1, 0, 10),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '理论学习', '第一议题', '不作要求', '党组/党委', '无', 1, 0, 11),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '党建工作', '党组会议', '不作要求', '不限', '无', 1, 0, 12),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '党建工作', '党建工作专题会议', '每季度', '党组/党委', '无', 1, 0, 13),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '党建工作', '党建督查检查', '不作要求', '不限', '无', 1, 0, 14),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '教育活动', '警示教育', '不作要求', '不限', '无', 1, 0, 15),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '教育活动', '红色教育/参观学习', '不作要求', '不限', '无', 1, 0, 16),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '其他', '结对共建/志愿服务', '不作要求', '不限', '无', 1, 0, 17);

    CREATE TABLE activity (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        date        TEXT NOT NULL,
        time        TEXT NOT NULL DEFAULT '',
        org_id      INTEGER NOT NULL REFERENCES org(id),
        topic       TEXT NOT NULL,
        content     TEXT NOT NULL DEFAULT '',
        host        TEXT NOT NULL DEFAULT '',
        lecturer    TEXT NOT NULL DEFAULT '',
        place       TEXT NOT NULL DEFAULT '',
        recorder    TEXT NOT NULL DEFAULT '',
        guests      TEXT NOT NULL DEFAULT '',
        minutes     TEXT NOT NULL DEFAULT '',
        outcome     TEXT NOT NULL DEFAULT '',
        speech_date TEXT,
        expected    INTEGER,
        present     INTEGER
    );
    CREATE INDEX activity_date ON activity(date);
    CREATE INDEX activity_org_date ON activity(org_id, date);

    -- Link rows: identified by their activity's uid and the type's or member's uid.
    CREATE TABLE activity_kind (
        activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        type_id     INTEGER NOT NULL REFERENCES activity_type(id),
        PRIMARY KEY (activity_id, type_id)
    ) WITHOUT ROWID;
    CREATE INDEX activity_kind_type ON activity_kind(type_id, activity_id);

    CREATE TABLE attendance (
        activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        member_id   INTEGER NOT NULL REFERENCES member(id),
        presence    TEXT NOT NULL CHECK (presence IN ('出席', '请假', '缺席')),
        reason      TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (activity_id, member_id)
    ) WITHOUT ROWID;

    CREATE TABLE attachment (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        position    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX attachment_activity ON attachment(activity_id);
    "#,
    // 3: integrity talks (kinds seeded) and the rectification ledger with its history.
    r#"
    CREATE TABLE talk_kind (
        id       INTEGER PRIMARY KEY,
        uid      TEXT NOT NULL UNIQUE,
        label    TEXT NOT NULL UNIQUE,
        builtin  INTEGER NOT NULL DEFAULT 0,
        hidden   INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO talk_kind (uid, label, builtin, hidden, position) VALUES
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '日常谈话', 1, 0, 0),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '提醒谈话', 1, 0, 1),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '警诫谈话', 1, 0, 2),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '诫勉谈话', 1, 0, 3),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '廉政约谈', 1, 0, 4),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '任前廉政谈话', 1, 0, 5),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '集体廉政谈话', 1, 0, 6);

    CREATE TABLE talk (
        id            INTEGER PRIMARY KEY,
        uid           TEXT NOT NULL UNIQUE,
        date          TEXT NOT NULL,
        kind_id       INTEGER NOT NULL REFERENCES talk_kind(id),
        form          TEXT NOT NULL CHECK (form IN ('个别', '集体')),
        talkers       TEXT NOT NULL,
        subject_names TEXT NOT NULL DEFAULT '',
        headcount     INTEGER,
        -- 谈话对象人次, kept with the row so the tally can sum it.
        subjects      INTEGER NOT NULL,
        place         TEXT NOT NULL DEFAULT '',
        reason        TEXT NOT NULL DEFAULT '',
        content       TEXT NOT NULL DEFAULT '',
        follow_up     TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX talk_date ON talk(date);

    CREATE TABLE talk_subject (
        talk_id   INTEGER NOT NULL REFERENCES talk(id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES member(id),
        PRIMARY KEY (talk_id, member_id)
    ) WITHOUT ROWID;

    CREATE TABLE rectification (
        id            INTEGER PRIMARY KEY,
        uid           TEXT NOT NULL UNIQUE,
        source        TEXT NOT NULL
                      CHECK (source IN ('民主生活会', '组织生活会', '巡察', '督查检查', '审计', '上级反馈', '自查', '其他')),
        found_on      TEXT NOT NULL,
        description   TEXT NOT NULL,
        category      TEXT NOT NULL DEFAULT '',
        unit          TEXT NOT NULL DEFAULT '',
        person        TEXT NOT NULL DEFAULT '',
        measures      TEXT NOT NULL DEFAULT '',
        deadline      TEXT,
        status        TEXT NOT NULL DEFAULT '未整改' CHECK (status IN ('未整改', '整改中', '已销号', '已作废')),
        closed_on     TEXT,
        evidence      TEXT NOT NULL DEFAULT '',
        evidence_file TEXT NOT NULL DEFAULT '',
        verifier      TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX rectification_found ON rectification(found_on);

    CREATE TABLE rectification_event (
        id      INTEGER PRIMARY KEY,
        uid     TEXT NOT NULL UNIQUE,
        item_id INTEGER NOT NULL REFERENCES rectification(id),
        date    TEXT NOT NULL,
        kind    TEXT NOT NULL CHECK (kind IN ('登记', '进展', '销号', '重新打开', '作废')),
        text    TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX rectification_event_item ON rectification_event(item_id);
    "#,
    // 4: what the year-end tally needs of the records: organisations end (撤销日期) and set their own
    // expectations per activity type; yearly meetings carry the year they are for (所属年度); talks and
    // rectification items belong to an organisation (the top one for those entered before).
    r#"
    ALTER TABLE org ADD COLUMN dissolved TEXT;

    CREATE TABLE org_expectation (
        org_id   INTEGER NOT NULL REFERENCES org(id) ON DELETE CASCADE,
        type_id  INTEGER NOT NULL REFERENCES activity_type(id),
        expected INTEGER NOT NULL CHECK (expected IN (0, 1)),
        PRIMARY KEY (org_id, type_id)
    ) WITHOUT ROWID;

    ALTER TABLE activity ADD COLUMN for_year INTEGER;
    CREATE INDEX activity_for_year ON activity(for_year) WHERE for_year IS NOT NULL;

    ALTER TABLE talk ADD COLUMN org_id INTEGER REFERENCES org(id);
    ALTER TABLE rectification ADD COLUMN org_id INTEGER REFERENCES org(id);
    UPDATE talk SET org_id = (
        SELECT id FROM org WHERE parent_id IS NULL
        ORDER BY CASE kind WHEN '党组' THEN 0 WHEN '党委' THEN 1 WHEN '党总支' THEN 2 ELSE 3 END, id LIMIT 1);
    UPDATE rectification SET org_id = (
        SELECT id FROM org WHERE parent_id IS NULL
        ORDER BY CASE kind WHEN '党组' THEN 0 WHEN '党委' THEN 1 WHEN '党总支' THEN 2 ELSE 3 END, id LIMIT 1);
    CREATE INDEX talk_org ON talk(org_id);
    "#,
    // 5: settings of the file (单位名称 for printed titles).
    r#"
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 6: what happens to members. 组织关系转接 become records (a member's organisation at any date
    // comes from them; the old 转出 status + date turns into a 转出 record); 延长预备期; monthly dues
    // in fen; 表彰 / 走访慰问 / 民主评议 as member events.
    r#"
    CREATE TABLE transfer (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        member_id   INTEGER NOT NULL REFERENCES member(id),
        date        TEXT NOT NULL,
        from_org_id INTEGER REFERENCES org(id),
        to_org_id   INTEGER REFERENCES org(id),
        other_org   TEXT NOT NULL DEFAULT '',
        note        TEXT NOT NULL DEFAULT '',
        CHECK (from_org_id IS NOT NULL OR to_org_id IS NOT NULL),
        CHECK (from_org_id IS NOT to_org_id)
    );
    CREATE INDEX transfer_member ON transfer(member_id, date);
    CREATE INDEX transfer_date ON transfer(date);

    INSERT INTO transfer (uid, member_id, date, from_org_id, to_org_id, note)
        SELECT lower(hex(randomblob(16))), id,
               coalesce(status_date, full_on, probationary_on, applied_on, '2000-01-01'),
               org_id, NULL, '升级时由“转出”状态转换'
        FROM member WHERE status = '转出';
    UPDATE member SET status = '在册', status_date = NULL WHERE status = '转出';

    ALTER TABLE member ADD COLUMN probation_extended_to TEXT;

    CREATE TABLE dues (
        id         INTEGER PRIMARY KEY,
        member_id  INTEGER NOT NULL REFERENCES member(id),
        org_id     INTEGER NOT NULL REFERENCES org(id),
        month      TEXT NOT NULL,
        basis      TEXT NOT NULL CHECK (basis IN ('在职', '离退休', '定额')),
        base_fen   INTEGER CHECK (base_fen >= 0),
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        UNIQUE (member_id, month)
    );
    CREATE INDEX dues_org_month ON dues(org_id, month);
    CREATE INDEX dues_month ON dues(month);

    CREATE TABLE member_event (
        id        INTEGER PRIMARY KEY,
        uid       TEXT NOT NULL UNIQUE,
        act_uid   TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ('表彰', '走访慰问', '民主评议')),
        date      TEXT NOT NULL,
        for_year  INTEGER,
        member_id INTEGER NOT NULL REFERENCES member(id),
        org_id    INTEGER NOT NULL REFERENCES org(id),
        title     TEXT NOT NULL DEFAULT '',
        grade     TEXT CHECK (grade IN ('优秀', '合格', '基本合格', '不合格')),
        note      TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX member_event_member ON member_event(member_id);
    CREATE INDEX member_event_date ON member_event(date);
    "#,
    // 7: the CHECKs of the tables an import fills by the hundred thousand, written as comparisons.
    // `x IN ('a', 'b', 'c')` in a CHECK builds a temporary b-tree for every row written (SQLite's
    // ephemeral table for an IN list of three or more): more than half the time of inserting
    // 400,000 attendance names. Same rules, same rows; each table rebuilt the documented way.
    r#"
    CREATE TABLE attendance_new (
        activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        member_id   INTEGER NOT NULL REFERENCES member(id),
        presence    TEXT NOT NULL CHECK (presence = '出席' OR presence = '请假' OR presence = '缺席'),
        reason      TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (activity_id, member_id)
    ) WITHOUT ROWID;
    INSERT INTO attendance_new (activity_id, member_id, presence, reason)
        SELECT activity_id, member_id, presence, reason FROM attendance;
    DROP TABLE attendance;
    ALTER TABLE attendance_new RENAME TO attendance;

    CREATE TABLE dues_new (
        id         INTEGER PRIMARY KEY,
        member_id  INTEGER NOT NULL REFERENCES member(id),
        org_id     INTEGER NOT NULL REFERENCES org(id),
        month      TEXT NOT NULL,
        basis      TEXT NOT NULL CHECK (basis = '在职' OR basis = '离退休' OR basis = '定额'),
        base_fen   INTEGER CHECK (base_fen >= 0),
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        UNIQUE (member_id, month)
    );
    INSERT INTO dues_new (id, member_id, org_id, month, basis, base_fen, amount_fen)
        SELECT id, member_id, org_id, month, basis, base_fen, amount_fen FROM dues;
    DROP TABLE dues;
    ALTER TABLE dues_new RENAME TO dues;
    CREATE INDEX dues_org_month ON dues(org_id, month);
    CREATE INDEX dues_month ON dues(month);

    CREATE TABLE member_event_new (
        id        INTEGER PRIMARY KEY,
        uid       TEXT NOT NULL UNIQUE,
        act_uid   TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind = '表彰' OR kind = '走访慰问' OR kind = '民主评议'),
        date      TEXT NOT NULL,
        for_year  INTEGER,
        member_id INTEGER NOT NULL REFERENCES member(id),
        org_id    INTEGER NOT NULL REFERENCES org(id),
        title     TEXT NOT NULL DEFAULT '',
        grade     TEXT CHECK (grade = '优秀' OR grade = '合格' OR grade = '基本合格' OR grade = '不合格'),
        note      TEXT NOT NULL DEFAULT ''
    );
    INSERT INTO member_event_new (id, uid, act_uid, kind, date, for_year, member_id, org_id, title, grade, note)
        SELECT id, uid, act_uid, kind, date, for_year, member_id, org_id, title, grade, note FROM member_event;
    DROP TABLE member_event;
    ALTER TABLE member_event_new RENAME TO member_event;
    CREATE INDEX member_event_member ON member_event(member_id);
    CREATE INDEX member_event_date ON member_event(date);

    CREATE TABLE audit_new (
        id      INTEGER PRIMARY KEY,
        uid     TEXT NOT NULL UNIQUE,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        tbl     TEXT NOT NULL,
        row_uid TEXT NOT NULL,
        action  TEXT NOT NULL CHECK (action = 'insert' OR action = 'update' OR action = 'delete'),
        before  TEXT,
        after   TEXT
    );
    INSERT INTO audit_new (id, uid, at, actor, tbl, row_uid, action, before, after)
        SELECT id, uid, at, actor, tbl, row_uid, action, before, after FROM audit;
    DROP TABLE audit;
    ALTER TABLE audit_new RENAME TO audit;
    CREATE INDEX audit_row ON audit(tbl, row_uid);
    "#,
    // 8: 专题 ("theme": `topic` is an activity's 主题), a user-kept list like the kinds of 谈话
    // (model::theme::DEFAULT_THEMES seeded), and the 专题 each activity carries.
    r#"
    CREATE TABLE theme (
        id       INTEGER PRIMARY KEY,
        uid      TEXT NOT NULL UNIQUE,
        label    TEXT NOT NULL UNIQUE,
        builtin  INTEGER NOT NULL DEFAULT 0,
        hidden   INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO theme (uid, label, builtin, hidden, position) VALUES
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '党史学习教育', 1, 0, 0),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '学习贯彻党的二十大精神', 1, 0, 1),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '主题教育', 1, 0, 2),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '意识形态工作', 1, 0, 3),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '党风廉政建设', 1, 0, 4),
        (printf('%s-%s-4%s-%s-%s', lower(hex(randomblob(4))), lower(hex(randomblob(2))), substr(lower(hex(randomblob(2))), 2), lower(hex(randomblob(2))), lower(hex(randomblob(6)))), '全面从严治党', 1, 0, 5);
    CREATE TABLE activity_theme (
        activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        theme_id    INTEGER NOT NULL REFERENCES theme(id),
        PRIMARY KEY (activity_id, theme_id)
    ) WITHOUT ROWID;
    CREATE INDEX activity_theme_theme ON activity_theme(theme_id, activity_id);
    "#,
    // 9: 换届选举 (model::election): the election of an organisation's committee on a date, and the
    // people it elected. The committee kept on the organisation (committee_member) stays the current
    // one as the 组织 form edits it; a committee at an earlier date is read from both.
    r#"
    CREATE TABLE election (
        id              INTEGER PRIMARY KEY,
        uid             TEXT NOT NULL UNIQUE,
        org_id          INTEGER NOT NULL REFERENCES org(id),
        held            TEXT NOT NULL,
        voters_expected INTEGER CHECK (voters_expected >= 0),
        voters_present  INTEGER CHECK (voters_present >= 0),
        note            TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX election_org ON election(org_id, held);
    CREATE TABLE election_member (
        id          INTEGER PRIMARY KEY,
        election_id INTEGER NOT NULL REFERENCES election(id) ON DELETE CASCADE,
        role        TEXT NOT NULL CHECK (role IN ('书记', '副书记', '委员')),
        name        TEXT NOT NULL,
        member_id   INTEGER REFERENCES member(id),
        duty        TEXT NOT NULL DEFAULT '',
        position    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX election_member_election ON election_member(election_id);
    -- A committee row closed by an election (or by hand) keeps its place in history: 离任日期.
    ALTER TABLE committee_member ADD COLUMN ended TEXT;
    "#,
    // 10: the order organisations are shown in (tree, lists, tally tables, PDF, workbook), which
    // the user can change (上移 / 下移) among siblings; 0 everywhere keeps the natural order.
    "ALTER TABLE org ADD COLUMN position INTEGER NOT NULL DEFAULT 0;",
];

/// The schema version this build writes.
pub fn latest_version() -> i32 {
    MIGRATIONS.len() as i32
}

#[cfg(test)]
mod tests {
    use crate::store::Db;

    /// The inserts an import makes by the hundred thousand build no temporary b-tree per row
    /// (migration 7): the same statements the store runs, as SQLite plans them.
    #[test]
    fn bulk_inserts_build_no_temporary_table_per_row() {
        let db = Db::open_in_memory().unwrap();
        for sql in [
            "INSERT INTO attendance (activity_id, member_id, presence, reason) VALUES (?1, ?2, ?3, ?4)",
            "INSERT INTO dues (member_id, org_id, month, basis, base_fen, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            "INSERT INTO member_event (uid, act_uid, kind, date, for_year, member_id, org_id, title, grade, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            "INSERT INTO audit (uid, at, actor, tbl, row_uid, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        ] {
            // Planned with NULL for every parameter: the plan of the CHECKs does not depend on them.
            let mut plain = sql.to_string();
            for n in (1..=10).rev() {
                plain = plain.replace(&format!("?{n}"), "NULL");
            }
            let mut stmt = db.conn().prepare(&format!("EXPLAIN {plain}")).unwrap();
            let ops: Vec<String> = stmt
                .query_map([], |r| r.get::<_, String>(1))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(!ops.iter().any(|op| op == "OpenEphemeral"), "{sql}");
        }
    }
}
