//! The desktop UI labels what the core sends by key; every key the core can
//! send must have an English and a Chinese label.

use casebook::model::{Category, Channel, Direction, RefKind, Status, preparation_checklist};

fn dictionary(lang: &str) -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("ui/src/i18n/{lang}.ts"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_key_the_core_sends_has_a_label_in_both_languages() {
    let mut keys = Vec::new();
    for c in Category::ALL {
        keys.push(format!("category.{}", c.key()));
        keys.extend(
            casebook::model::emergency_steps(*c)
                .iter()
                .map(|i| format!("emergency.{i}")),
        );
        keys.extend(
            preparation_checklist(*c)
                .iter()
                .map(|i| format!("checklist.{i}")),
        );
    }
    keys.extend(Status::ALL.iter().map(|s| format!("status.{}", s.key())));
    keys.extend(Channel::ALL.iter().map(|s| format!("channel.{}", s.key())));
    keys.extend(
        Direction::ALL
            .iter()
            .map(|s| format!("direction.{}", s.key())),
    );
    keys.extend(RefKind::ALL.iter().map(|s| format!("refkind.{}", s.key())));
    keys.extend(
        casebook::channels::PointKind::ALL
            .iter()
            .map(|s| format!("pointkind.{}", s.key())),
    );
    for lang in ["en", "zh"] {
        let dict = dictionary(lang);
        for key in &keys {
            assert!(
                dict.contains(&format!("\"{key}\":")),
                "{lang}.ts has no label for {key}"
            );
        }
    }
}
