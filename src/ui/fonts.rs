//! Chinese on screen. The system's own CJK font where there is one (it matches the rest of the
//! desktop and costs no binary size), else the GBK subset of WenQuanYi Micro Hei embedded in the binary.
//!
//! The CJK font goes *first* in the proportional family, not after egui's Latin font: egui takes each
//! glyph from the first font that has it, and its Latin font has “ ” ‘ ’ — … ·, which would then show
//! half-width in Chinese text. CJK fonts carry good Latin letters and digits, so nothing is lost.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

/// The embedded fallback: see `assets/fonts/make_subset.py` for how it was made, and its licence
/// beside it. One copy in the binary, shared with printing.
pub use crate::print::fonts::EMBEDDED as EMBEDDED_CJK;

/// Family names to look for, best first: simplified-Chinese faces of the common system fonts.
const PREFERRED: &[&str] = &[
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans SC",
    "DengXian",
    "SimHei",
    "SimSun",
];

/// Where fonts of those families usually are, tried before scanning every system font (which can take
/// a noticeable part of a second on a Windows PC with hundreds of fonts).
const USUAL_FILES: &[&str] = &[
    "C:\\Windows\\Fonts\\msyh.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
];

/// The font chosen, and a description of where it came from (shown in 关于).
pub struct CjkFont {
    pub data: FontData,
    pub source: String,
}

/// The embedded subset.
pub fn embedded() -> CjkFont {
    CjkFont {
        data: FontData::from_static(EMBEDDED_CJK),
        source: "内置字体（文泉驿微米黑 GBK 子集）".into(),
    }
}

/// The system's CJK font if one is installed, else the embedded one. `DANGWU_FONT=embedded` forces
/// the embedded font (to check how it looks on a machine that has a system font).
pub fn choose() -> CjkFont {
    if std::env::var("DANGWU_FONT").is_ok_and(|v| v == "embedded") {
        return embedded();
    }
    system().unwrap_or_else(embedded)
}

fn system() -> Option<CjkFont> {
    let mut db = fontdb::Database::new();
    for file in USUAL_FILES {
        let path = PathBuf::from(file);
        if path.exists() {
            let _ = db.load_font_file(&path);
        }
    }
    pick(&mut db).or_else(|| {
        db.load_system_fonts();
        pick(&mut db)
    })
}

fn pick(db: &mut fontdb::Database) -> Option<CjkFont> {
    for family in PREFERRED {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            ..Default::default()
        };
        let Some(id) = db.query(&query) else { continue };
        let path = match db.face_source(id) {
            Some((fontdb::Source::File(p), _)) => p.display().to_string(),
            _ => String::new(),
        };
        // The file mapped, not copied: only the pages of the glyphs drawn are read into memory
        // (a copy of Noto Sans CJK put all 19 MB of it in the window's memory at start).
        // Keeps the face index: Noto Sans CJK and Microsoft YaHei are .ttc collections.
        // SAFETY: a system font file is not written while it is installed; a package update
        // replaces it by a new file, which leaves this mapping as it was.
        let Some((bytes, index)) = (unsafe { db.make_shared_face_data(id) }) else {
            continue;
        };
        return Some(CjkFont {
            data: FontData::from_blob(bytes, index),
            source: format!("系统字体 {family}（{path}，第{index}个字形集）"),
        });
    }
    None
}

/// Installs `font` into egui, first for proportional text and as fallback for monospace.
pub fn install(ctx: &egui::Context, font: CjkFont) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert("cjk".into(), Arc::new(font.data));
    if let Some(list) = fonts.families.get_mut(&FontFamily::Proportional) {
        list.insert(0, "cjk".into());
    }
    if let Some(list) = fonts.families.get_mut(&FontFamily::Monospace) {
        list.push("cjk".into());
    }
    ctx.set_fonts(fonts);
}

/// Larger text than egui's default: Chinese at 12–13 px is hard to read, and many users are older.
pub fn install_style(ctx: &egui::Context) {
    use egui::{FontId, TextStyle};
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(13.0)),
            (TextStyle::Body, FontId::proportional(16.0)),
            (TextStyle::Button, FontId::proportional(16.0)),
            (TextStyle::Heading, FontId::proportional(22.0)),
            (TextStyle::Monospace, FontId::monospace(15.0)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style.spacing.interact_size.y = 26.0;
        // Check boxes and radio buttons a user can hit and see: 20 px, not egui's 14.
        style.spacing.icon_width = 20.0;
        style.spacing.icon_width_inner = 12.0;
    });
}
