//! The command line at its edges: a mistyped path, a missing folder, a closed pipe. Each is said
//! in Chinese and leaves every file as it was.

use std::path::Path;
use std::process::{Command, Output};

use dangwu::store::Db;

fn dangwu(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A refused command's message: in Chinese, not the system's English.
fn refused(o: &Output, expect: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "should have been refused: {err}");
    assert!(err.contains(expect), "{err}");
    assert!(!err.contains("os error"), "the system's words: {err}");
}

#[test]
fn refused_commands_say_why_in_chinese_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("台账.sqlite");
    {
        let mut db = Db::open(&ledger).unwrap();
        db.set_setting(dangwu::store::settings::UNIT_NAME, "某市民政局")
            .unwrap();
    }
    let path = |name: &str| dir.path().join(name).display().to_string();
    let template = path("模板.xlsx");
    let o = dangwu(&ledger, &["template", &template]);
    assert!(o.status.success());
    let before = std::fs::read(&ledger).unwrap();
    let files = listing(dir.path());
    let mistyped = dir.path().join("台帐.sqlite");

    refused(
        &dangwu(&mistyped, &["restore", "--from", &path("台账.sqlite")]),
        "找不到数据文件",
    );
    refused(&dangwu(&mistyped, &["set-unit", "某局"]), "找不到数据文件");
    refused(&dangwu(&mistyped, &["import", &template]), "找不到数据文件");
    refused(
        &dangwu(&mistyped, &["tally", "--year", "2026"]),
        "找不到数据文件",
    );
    refused(
        &dangwu(&ledger, &["backup", "--to", &path("U盘/党务备份.sqlite")]),
        "文件夹",
    );
    refused(
        &dangwu(
            &ledger,
            &["restore", "--from", &path("没有这个备份.sqlite")],
        ),
        "找不到备份文件",
    );
    refused(
        &dangwu(&ledger, &["export", &path("没有的文件夹/导出.xlsx")]),
        "文件或文件夹不存在",
    );

    assert_eq!(
        listing(dir.path()),
        files,
        "a refused command left something"
    );
    assert_eq!(std::fs::read(&ledger).unwrap(), before);
}

#[test]
fn a_closed_stdout_ends_a_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("台账.sqlite");
    drop(Db::open(&ledger).unwrap());
    for format in ["text", "json"] {
        // The reader is gone before the command writes a byte (`dangwu tally | head`, with head
        // done already): every write fails with a broken pipe.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = Command::new(env!("CARGO_BIN_EXE_dangwu"))
            .arg("--db")
            .arg(&ledger)
            .args(["tally", "--year", "2026", "--format", format])
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert!(o.status.success(), "{format}");
        assert_eq!(String::from_utf8_lossy(&o.stderr), "", "{format}");
        assert!(
            !dir.path().join("logs").exists(),
            "{format}: an error report was written"
        );
    }
}
