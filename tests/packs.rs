//! The shipped rule packs: every file under `rules/` is built in, loads without a problem,
//! and says it is modelled on public information.

use formfit::pack::{Library, PackCompiler, BUILTIN};

#[test]
fn every_pack_under_rules_is_built_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            let path = format!("rules/{name}");
            assert!(
                BUILTIN.iter().any(|(file, _)| *file == path),
                "{path} is not in pack::BUILTIN"
            );
        }
    }
}

#[test]
fn the_shipped_packs_compile_cleanly_and_carry_the_public_information_note() {
    let (library, errors) = Library::builtin(&PackCompiler::new());
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(library.packs.len(), BUILTIN.len());
    for pack in &library.packs {
        let note = pack.meta.note.to_lowercase();
        assert!(
            note.contains("public information") && note.contains("not an official rendering"),
            "{}",
            pack.file
        );
        assert_eq!(pack.meta.classification, "PUBLIC", "{}", pack.file);
    }
}

#[test]
fn rule_ids_are_unique_across_the_library() {
    let (library, _) = Library::builtin(&PackCompiler::new());
    let mut ids: Vec<_> = library
        .packs
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| r.id.clone()))
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total);
}
