//! When something goes wrong anyway: a panic writes a report with its backtrace to `logs/` beside
//! the data file, says so in Chinese, and the window shows that instead of vanishing.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

static LAST_REPORT: Mutex<Option<PathBuf>> = Mutex::new(None);

/// `logs/` beside the data file at `db_path`.
pub fn logs_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("logs")
}

/// Installs the hook: every panic from now on writes a report into `dir`.
pub fn install(dir: PathBuf) {
    std::panic::set_hook(Box::new(move |info| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        let now = chrono::Local::now();
        let report = format!(
            "党务台账 {} 出现错误\n时间：{}\n位置：{}\n信息：{}\n\n{backtrace}\n",
            env!("CARGO_PKG_VERSION"),
            now.format("%Y-%m-%d %H:%M:%S"),
            info.location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default(),
            panic_text(info.payload()),
        );
        let path = dir.join(format!("错误报告-{}.txt", now.format("%Y%m%d-%H%M%S-%3f")));
        let written = crate::store::private::create_dir_all(&dir)
            .and_then(|()| crate::store::private::create_file(&path))
            .and_then(|mut f| std::io::Write::write_all(&mut f, report.as_bytes()))
            .is_ok();
        if written {
            // Never eprintln! here: with stderr closed it panics again, inside the hook.
            let _ = writeln!(
                std::io::stderr(),
                "程序出现错误，已写入错误报告：{}。已保存的数据不受影响。",
                path.display()
            );
            if let Ok(mut last) = LAST_REPORT.lock() {
                *last = Some(path);
            }
        } else {
            let _ = writeln!(
                std::io::stderr(),
                "程序出现错误（错误报告无法写入 {}）：\n{report}",
                dir.display()
            );
        }
    }));
}

/// The report the last panic wrote, if any.
pub fn last_report() -> Option<PathBuf> {
    LAST_REPORT.lock().ok().and_then(|l| l.clone())
}

fn panic_text(payload: &dyn std::any::Any) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "（无说明）".into())
}
