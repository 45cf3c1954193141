//! The inputs a catalogue user names: folders walked as ripgrep walks them (ignore files,
//! hidden files), files that hold no product skipped and counted, globs with braces on the
//! command line and in formfit.toml, and one product on standard input.

mod common;
use common::*;

const GOOD: &str = include_str!("../fixtures/stanag-4172/good-ball-cartridge.toml");
const BAD: &str = include_str!("../fixtures/stanag-4172/bad-223.toml");
const GOOD_JSON: &str = include_str!("../fixtures/stanag-4172/good-continental-spelling.json");
const GOOD_YAML: &str = include_str!("../fixtures/stanag-4172/good-rifle.yaml");

fn files_of(value: &serde_json::Value) -> Vec<String> {
    value["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap().to_owned())
        .collect()
}

/// A catalogue as people keep one: products in folders, a configuration and a misspelt
/// product beside them, hidden and ignored copies, inside a git checkout.
fn catalogue() -> tempfile::TempDir {
    let dir = folder(&[
        ("catalogue/b-carbine.toml", BAD),
        ("catalogue/a-ball.toml", GOOD),
        ("catalogue/belts/link.json", GOOD_JSON),
        ("catalogue/rifles/rifle.yaml", GOOD_YAML),
        ("catalogue/typo.toml", "[prodcut]\nid = \"TYPO-1\"\n"),
        ("catalogue/notes.txt", "not a product format"),
        ("catalogue/.drafts/draft.toml", GOOD),
        ("catalogue/build/copy.toml", BAD),
        ("catalogue/.gitignore", "build/\n"),
    ]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

#[test]
fn a_folder_is_walked_sorted_skipping_hidden_ignored_and_non_product_files() {
    let dir = catalogue();
    let output = formfit_in(
        dir.path(),
        &["check", "--no-config", "--format", "json", "catalogue"],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let value = json(&output);
    assert_eq!(
        files_of(&value),
        [
            "catalogue/a-ball.toml",
            "catalogue/b-carbine.toml",
            "catalogue/belts/link.json",
            "catalogue/rifles/rifle.yaml",
        ]
    );
    // The misspelt `[prodcut]` is visible, never a silent pass.
    assert_eq!(value["summary"]["skipped"], 1);
    let skipped = diagnostic(&value, "formfit/not-a-product");
    assert!(
        skipped["message"]
            .as_str()
            .unwrap()
            .contains("catalogue/typo.toml"),
        "{skipped}"
    );
    let human = formfit_in(dir.path(), &["check", "--no-config", "-q", "catalogue"]);
    assert!(
        stdout(&human).contains("4 products: 1 non-conformant, 3 conformant; 1 file skipped"),
        "{}",
        stdout(&human)
    );
}

#[test]
fn a_broken_file_in_a_folder_is_invalid_and_every_other_result_is_kept() {
    let dir = catalogue();
    std::fs::write(dir.path().join("catalogue/broken.yaml"), "product: [\n").unwrap();
    std::fs::write(dir.path().join("catalogue/empty.json"), "").unwrap();
    let output = formfit_in(
        dir.path(),
        &["check", "--no-config", "--format", "json", "catalogue"],
    );
    assert_eq!(output.status.code(), Some(2));
    let value = json(&output);
    let verdicts: Vec<(String, String)> = value["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_owned(),
                p["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("catalogue/a-ball.toml", "conformant"),
        ("catalogue/b-carbine.toml", "non-conformant"),
        ("catalogue/belts/link.json", "conformant"),
        ("catalogue/broken.yaml", "invalid"),
        ("catalogue/empty.json", "invalid"),
        ("catalogue/rifles/rifle.yaml", "conformant"),
    ];
    assert_eq!(
        verdicts,
        expected.map(|(f, v)| (f.to_owned(), v.to_owned()))
    );
}

#[test]
fn a_walk_that_finds_no_product_is_exit_3_like_an_empty_glob() {
    let dir = folder(&[
        ("only-typos/typo.toml", "[prodcut]\nid = \"TYPO-1\"\n"),
        ("nothing/readme.md", "# no products here\n"),
    ]);
    let typos = formfit_in(
        dir.path(),
        &["check", "--no-config", "--format", "json", "only-typos"],
    );
    assert_eq!(typos.status.code(), Some(3));
    let value = json(&typos);
    assert_eq!(value["summary"]["skipped"], 1);
    assert!(diagnostic(&value, "formfit/usage")["message"]
        .as_str()
        .unwrap()
        .contains("no product description"));
    let empty = formfit_in(dir.path(), &["check", "--no-config", "nothing"]);
    assert_eq!(empty.status.code(), Some(3));
    assert!(stderr(&empty).contains("holds no .toml, .json, .yaml or .yml file"));
}

#[test]
fn globs_with_braces_work_in_arguments_and_in_formfit_toml() {
    let dir = catalogue();
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "catalogue/**/*.{json,yaml}",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        files_of(&json(&output)),
        ["catalogue/belts/link.json", "catalogue/rifles/rifle.yaml"]
    );
    let nothing = formfit_in(
        dir.path(),
        &["check", "--no-config", "catalogue/*.{xml,csv}"],
    );
    assert_eq!(nothing.status.code(), Some(3));
    assert!(stderr(&nothing).contains("matches no file"));

    std::fs::write(
        dir.path().join("formfit.toml"),
        "products = [\"catalogue/{a-ball,b-carbine}.toml\"]\n",
    )
    .unwrap();
    let configured = formfit_in(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        files_of(&json(&configured)),
        ["catalogue/a-ball.toml", "catalogue/b-carbine.toml"]
    );
}

#[test]
fn a_file_found_again_is_checked_at_its_first_place_and_a_file_named_twice_twice() {
    let dir = catalogue();
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "catalogue/a-ball.toml",
            "catalogue",
            "catalogue/*.toml",
            "catalogue/a-ball.toml",
        ],
    );
    let value = json(&output);
    assert_eq!(
        files_of(&value),
        [
            "catalogue/a-ball.toml",
            "catalogue/b-carbine.toml",
            "catalogue/belts/link.json",
            "catalogue/rifles/rifle.yaml",
            "catalogue/a-ball.toml",
        ],
        "{}",
        stderr(&output)
    );
    // The walk found the misspelt file first: the glob's match of it is that same file.
    assert_eq!(value["summary"]["skipped"], 1);
}

#[test]
fn stdin_reads_one_product_in_the_format_given() {
    let dir = folder(&[]);
    let output = formfit_with_stdin(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--input-format",
            "toml",
            "-",
        ],
        BAD,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let value = json(&output);
    let product = &value["products"][0];
    assert_eq!(product["file"], "<stdin>");
    assert_eq!(product["product"], "NGA-SR16-223");
    assert_eq!(product["findings"][0]["location"]["file"], "<stdin>");
    assert_eq!(product["findings"][0]["location"]["line"], 9);

    let yaml = formfit_with_stdin(
        dir.path(),
        &["check", "--no-config", "--input-format", "yaml", "-"],
        GOOD_YAML,
    );
    assert_eq!(yaml.status.code(), Some(0), "{}", stderr(&yaml));
}

#[test]
fn stdin_without_its_format_and_a_format_without_stdin_are_usage_errors() {
    let dir = folder(&[]);
    let no_format = formfit_with_stdin(dir.path(), &["check", "--no-config", "-"], GOOD);
    assert_eq!(no_format.status.code(), Some(3));
    assert!(
        stderr(&no_format).contains("--input-format"),
        "{}",
        stderr(&no_format)
    );
    let dir = folder(&[("a.toml", GOOD)]);
    let no_dash = formfit_in(
        dir.path(),
        &["check", "--no-config", "--input-format", "toml", "a.toml"],
    );
    assert_eq!(no_dash.status.code(), Some(3));
    assert!(stderr(&no_dash).contains("no `-` reads standard input"));
}
