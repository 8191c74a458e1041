//! A panic writes a report with its backtrace into logs/ and says so in Chinese.

#[test]
fn a_panic_writes_a_report_beside_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账.sqlite");
    let logs = dangwu::crash::logs_dir(&db);
    assert_eq!(logs, dir.path().join("logs"));
    dangwu::crash::install(logs.clone());
    let outcome = std::thread::spawn(|| panic!("模拟的错误")).join();
    assert!(outcome.is_err());
    let report = dangwu::crash::last_report().expect("a report was written");
    assert!(report.starts_with(&logs));
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("信息：模拟的错误"), "{text}");
    assert!(text.contains("位置：tests/crash.rs"), "{text}");
    let _ = std::panic::take_hook();
}
