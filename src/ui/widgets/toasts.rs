//! Short notices of what an operation did ("已保存"), shown in a corner and gone after a while.

use egui::{Align2, Color32, Context, RichText};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ToastKind {
    Success,
    Error,
    Info,
}

#[derive(Debug)]
struct Toast {
    kind: ToastKind,
    text: String,
    /// Set on first show, from egui's clock, so toasts made between frames get their full time.
    until: Option<f64>,
}

#[derive(Default, Debug)]
pub struct Toasts {
    items: Vec<Toast>,
}

impl Toasts {
    pub fn success(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Error, text.into());
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(ToastKind::Info, text.into());
    }

    fn push(&mut self, kind: ToastKind, text: String) {
        self.items.push(Toast {
            kind,
            text,
            until: None,
        });
    }

    /// The texts currently shown (for tests).
    pub fn texts(&self) -> Vec<&str> {
        self.items.iter().map(|t| t.text.as_str()).collect()
    }

    pub fn show(&mut self, ctx: &Context) {
        let now = ctx.input(|i| i.time);
        for t in &mut self.items {
            // Errors stay longer: they may need reading twice.
            let ttl = if t.kind == ToastKind::Error {
                10.0
            } else {
                4.0
            };
            t.until.get_or_insert(now + ttl);
        }
        self.items.retain(|t| t.until.is_some_and(|u| u > now));
        if self.items.is_empty() {
            return;
        }
        egui::Area::new(egui::Id::unique("toasts"))
            .anchor(Align2::RIGHT_BOTTOM, [-16.0, -16.0])
            .order(egui::Order::Foreground)
            .interactable(false)
            .show(ctx, |ui| {
                for t in &self.items {
                    let (fill, mark) = match t.kind {
                        ToastKind::Success => (Color32::from_rgb(0x1E, 0x7B, 0x34), "√"),
                        ToastKind::Error => (Color32::from_rgb(0xB0, 0x1E, 0x1E), "×"),
                        ToastKind::Info => (Color32::from_rgb(0x33, 0x55, 0x88), "·"),
                    };
                    egui::Frame::new()
                        .fill(fill)
                        .corner_radius(6)
                        .inner_margin(10)
                        .show(ui, |ui| {
                            ui.set_max_width(420.0);
                            ui.label(
                                RichText::new(format!("{mark} {}", t.text)).color(Color32::WHITE),
                            );
                        });
                    ui.add_space(6.0);
                }
            });
        let next = self
            .items
            .iter()
            .filter_map(|t| t.until)
            .fold(f64::INFINITY, f64::min);
        ctx.request_repaint_after(std::time::Duration::from_secs_f64((next - now).max(0.05)));
    }
}
