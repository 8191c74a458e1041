//! On Windows builds only: the icon and the version information (文件说明 党务台账, 版本) in the
//! .exe, through winresource (with Debian's mingw `windres` when cross-building). Nothing on other
//! targets — a build script runs on the host, so the target is read from Cargo's environment.

fn main() {
    println!("cargo:rerun-if-changed=assets/icon.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("assets/icon.ico")
            .set("FileDescription", "党务台账")
            .set("ProductName", "党务台账")
            .set("OriginalFilename", "dangwu.exe")
            .set("LegalCopyright", "党务台账开发组");
        if let Err(e) = res.compile() {
            panic!("无法写入 Windows 资源（图标、版本信息）：{e}");
        }
    }
}
