//! Our small layout on top of the PDF writer: text measured with the font's own advances (lines
//! are broken by `crate::line_break`), tables split across pages with their header row repeated,
//! and the pages' boxes.

use std::collections::HashMap;

/// Advance widths of one font, in em, cached per character.
pub struct Measure {
    face_data: super::fonts::FontBytes,
    index: u32,
    cache: HashMap<char, f32>,
}

impl Measure {
    pub fn new(face_data: super::fonts::FontBytes, index: u32) -> Self {
        Self {
            face_data,
            index,
            cache: HashMap::new(),
        }
    }

    fn em(&mut self, c: char) -> f32 {
        if let Some(w) = self.cache.get(&c) {
            return *w;
        }
        let w = ttf_parser::Face::parse((*self.face_data).as_ref(), self.index)
            .ok()
            .and_then(|face| {
                let gid = face.glyph_index(c)?;
                let advance = face.glyph_hor_advance(gid)?;
                Some(advance as f32 / face.units_per_em() as f32)
            })
            // A character the font lacks: assume a full-width box for CJK, half for the rest.
            .unwrap_or(if c.len_utf8() > 1 { 1.0 } else { 0.5 });
        self.cache.insert(c, w);
        w
    }

    /// Width of `text` at `size` points.
    pub fn width(&mut self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.em(c)).sum::<f32>() * size
    }
}
