//! Fonts for printing, as a bureau expects its documents: the title in a heavy face (黑体), the
//! body in a serif (宋体 / 仿宋) where the system has one; else the embedded font. Which face prints
//! what is decided by `choose`, a plain function over the faces found, so that it can be tested.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The embedded fallback (GBK subset of WenQuanYi Micro Hei; see assets/fonts/). Shared with the
/// window, so the binary carries it once.
pub static EMBEDDED: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei-gbk.ttf");

/// Heavy faces for titles, best first, with the lightest weight that counts as heavy for them.
const TITLE: &[(&str, u16)] = &[
    ("SimHei", 400),
    ("黑体", 400),
    ("Noto Sans CJK SC", 700),
    ("Source Han Sans SC", 700),
    ("Source Han Sans CN", 700),
    ("Microsoft YaHei", 700),
    ("WenQuanYi Zen Hei", 400),
];

/// Serif faces for the body, best first.
const BODY: &[&str] = &[
    "SimSun",
    "宋体",
    "NSimSun",
    "FangSong",
    "仿宋",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "AR PL UMing CN",
];

/// Where those faces usually are, loaded before scanning every system font.
const USUAL_FILES: &[&str] = &[
    "C:\\Windows\\Fonts\\simsun.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
    "C:\\Windows\\Fonts\\simfang.ttf",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
];

/// A font file's bytes: the embedded font, or a system font file mapped into memory.
pub type FontBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// One face: its name as the PDF will carry it, its data and its index in a collection.
#[derive(Clone)]
pub struct PrintFont {
    pub name: String,
    pub data: FontBytes,
    pub index: u32,
}

impl PrintFont {
    pub fn embedded() -> Self {
        PrintFont {
            name: "文泉驿微米黑（内置）".into(),
            data: Arc::new(EMBEDDED),
            index: 0,
        }
    }

    /// The face `index` of the font file at `path`, mapped, not read: only the pages of the
    /// glyphs printed come into memory, and they leave with the last clone of this font.
    fn mapped(path: &Path, index: u32, name: &str) -> Option<Self> {
        let file = std::fs::File::open(path).ok()?;
        // SAFETY: a system font file is not written while it is installed; a package update
        // replaces it by a new file, which leaves this mapping as it was.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        Some(PrintFont {
            name: name.into(),
            data: Arc::new(map),
            index,
        })
    }
}

/// Where a chosen system face is: its file, its index in a collection, its name.
#[derive(Clone)]
struct Found {
    path: PathBuf,
    index: u32,
    name: String,
}

#[derive(Clone)]
pub struct PrintFonts {
    pub title: PrintFont,
    pub body: PrintFont,
}

impl PrintFonts {
    /// The embedded font for everything (tests; machines without CJK fonts).
    pub fn embedded() -> Self {
        let f = PrintFont::embedded();
        PrintFonts {
            title: f.clone(),
            body: f,
        }
    }

    /// The system's faces where it has them, looked for once per run and mapped anew for each
    /// print: kept between prints, the two files (some 40 MB of Noto CJK) stayed in the window's
    /// memory for good. `DANGWU_FONT=embedded` forces the embedded font, as for the window.
    pub fn system() -> Self {
        static FOUND: OnceLock<(Option<Found>, Option<Found>)> = OnceLock::new();
        let (title, body) = FOUND.get_or_init(|| {
            if std::env::var("DANGWU_FONT").is_ok_and(|v| v == "embedded") {
                return (None, None);
            }
            find()
        });
        let load = |f: &Option<Found>| {
            f.as_ref()
                .and_then(|f| PrintFont::mapped(&f.path, f.index, &f.name))
                .unwrap_or_else(PrintFont::embedded)
        };
        PrintFonts {
            title: load(title),
            body: load(body),
        }
    }
}

/// A face as fontdb describes it: what `choose` looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Face {
    pub families: Vec<String>,
    pub weight: u16,
}

/// Picks (title, body) among `faces` by the preference lists; `None` where none fits.
pub fn choose(faces: &[Face]) -> (Option<usize>, Option<usize>) {
    let has = |f: &Face, name: &str| f.families.iter().any(|n| n == name);
    let title = TITLE.iter().find_map(|(name, min_weight)| {
        faces
            .iter()
            .enumerate()
            .filter(|(_, f)| has(f, name) && f.weight >= *min_weight)
            // The heaviest weight up to Bold: Black faces print too dark for a report title.
            .min_by_key(|(_, f)| (f.weight as i32 - 700).abs())
            .map(|(i, _)| i)
    });
    let body = BODY.iter().find_map(|name| {
        faces
            .iter()
            .enumerate()
            .filter(|(_, f)| has(f, name))
            .min_by_key(|(_, f)| (f.weight as i32 - 400).abs())
            .map(|(i, _)| i)
    });
    (title, body)
}

fn find() -> (Option<Found>, Option<Found>) {
    let mut db = fontdb::Database::new();
    for file in USUAL_FILES {
        let path = PathBuf::from(file);
        if path.exists() {
            let _ = db.load_font_file(&path);
        }
    }
    let mut picked = pick(&db);
    if picked.0.is_none() || picked.1.is_none() {
        db.load_system_fonts();
        picked = pick(&db);
    }
    let found = |id: Option<fontdb::ID>| -> Option<Found> {
        let face = db.face(id?)?;
        match &face.source {
            fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some(Found {
                path: path.clone(),
                index: face.index,
                name: face.post_script_name.clone(),
            }),
            fontdb::Source::Binary(_) => None,
        }
    };
    (found(picked.0), found(picked.1))
}

fn pick(db: &fontdb::Database) -> (Option<fontdb::ID>, Option<fontdb::ID>) {
    let infos: Vec<&fontdb::FaceInfo> = db.faces().collect();
    let faces: Vec<Face> = infos
        .iter()
        .map(|f| Face {
            families: f.families.iter().map(|(n, _)| n.clone()).collect(),
            weight: f.weight.0,
        })
        .collect();
    let (title, body) = choose(&faces);
    (title.map(|i| infos[i].id), body.map(|i| infos[i].id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(family: &str, weight: u16) -> Face {
        Face {
            families: vec![family.into()],
            weight,
        }
    }

    #[test]
    fn windows_prints_titles_in_simhei_and_the_body_in_simsun() {
        let faces = [
            face("Microsoft YaHei", 400),
            face("Microsoft YaHei", 700),
            face("SimSun", 400),
            face("SimHei", 400),
            face("FangSong", 400),
        ];
        assert_eq!(choose(&faces), (Some(3), Some(2)));
    }

    #[test]
    fn debian_with_noto_prints_bold_sans_titles_and_a_serif_body() {
        let faces = [
            face("Noto Sans CJK SC", 400),
            face("Noto Sans CJK SC", 900),
            face("Noto Sans CJK SC", 700),
            face("Noto Serif CJK SC", 700),
            face("Noto Serif CJK SC", 400),
        ];
        assert_eq!(choose(&faces), (Some(2), Some(4)));
    }

    #[test]
    fn without_cjk_faces_nothing_is_chosen_and_the_embedded_font_prints() {
        let faces = [face("DejaVu Sans", 400), face("Noto Sans CJK SC", 400)];
        // A regular Noto Sans is no title face and no serif: both fall back.
        assert_eq!(choose(&faces), (None, None));
    }
}
