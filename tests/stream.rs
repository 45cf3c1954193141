//! NDJSON streams in and out, results in input order whatever the threads, and shards whose
//! product lines, concatenated, are the whole run's.

mod common;
use common::*;

use std::process::{Command, Output};

/// `n` products, every third a .223 Remington look-alike.
fn catalogue(n: usize) -> String {
    (1..=n)
        .map(|i| {
            let caliber = if i % 3 == 0 {
                ".223 Remington"
            } else {
                "5.56×45 mm NATO"
            };
            cartridge_line(&format!("P-{i:05}"), caliber) + "\n"
        })
        .collect()
}

fn lines(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

fn product_lines(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"product\""))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_stream_gives_a_result_per_line_in_order_bad_lines_invalid_and_a_summary_last() {
    let stream = [
        cartridge_line("P-1", "5.56×45 mm NATO"),
        "{\"product\": 5}".to_owned(),
        String::new(),
        "{\"product\": {\"id\": ".to_owned(),
        cartridge_line("P-4", ".223 Remington"),
    ]
    .join("\n")
        + "\n";
    let dir = folder(&[("catalogue.ndjson", &stream)]);
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--ndjson",
            "catalogue.ndjson",
            "--format",
            "ndjson",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let lines = lines(&output);
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["product", "product", "product", "product", "summary"]
    );
    let told: Vec<(u64, &str)> = lines[..4]
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        told,
        [
            (1, "conformant"),
            (2, "invalid"),
            (4, "invalid"),
            (5, "non-conformant")
        ]
    );
    // Locations are the stream's: its file, its line, and byte offsets into the whole stream.
    let finding = &lines[3]["findings"][0];
    let location = &finding["location"];
    assert_eq!(location["file"], "catalogue.ndjson");
    assert_eq!(location["line"], 5);
    let offset = location["offset"].as_u64().unwrap() as usize;
    let length = location["length"].as_u64().unwrap() as usize;
    assert_eq!(&stream[offset..offset + length], "\".223 Remington\"");
    let line_start = stream.match_indices('\n').nth(3).unwrap().0 + 1;
    assert_eq!(
        location["column"].as_u64().unwrap() as usize,
        stream[line_start..offset].chars().count() + 1
    );
    assert_eq!(lines[1]["findings"][0]["location"]["line"], 2);
    let summary = &lines[4];
    assert_eq!(summary["exit_code"], 2);
    assert_eq!(summary["summary"]["products"], 4);
    assert_eq!(summary["summary"]["verdicts"]["invalid"], 2);
}

/// An NDJSON stream on standard input, answered in NDJSON.
const FROM_STDIN: [&str; 6] = [
    "check",
    "--no-config",
    "--ndjson",
    "-",
    "--format",
    "ndjson",
];

#[test]
fn stdin_streams_are_named_stdin_and_the_gate_decides_the_exit_code() {
    let dir = folder(&[]);
    let stream = catalogue(6);
    let args = |gate: &'static str| [&FROM_STDIN[..], &["--fail-on", gate]].concat();
    let failing = formfit_with_stdin(dir.path(), &args("shall"), &stream);
    assert_eq!(failing.status.code(), Some(1));
    let lines = lines(&failing);
    assert_eq!(lines[0]["file"], "<stdin>");
    assert_eq!(lines.len(), 7);
    // With --fail-on never a non-conformant product does not fail the run.
    let never = formfit_with_stdin(dir.path(), &args("never"), &stream);
    assert_eq!(never.status.code(), Some(0), "{}", stderr(&never));
    // An empty stream (an empty partition) is a run of no products, not an error.
    let empty = formfit_with_stdin(dir.path(), &args("never"), "");
    assert_eq!(empty.status.code(), Some(0));
    assert_eq!(lines_of_type(&empty, "summary"), 1);
}

/// A stream fed one line at a time, as a pipe from a slow producer is: each result must come
/// out before the next line goes in, though the output is written in blocks under load.
#[test]
fn each_line_of_a_trickling_stream_is_answered_before_the_next_comes() {
    // On one thread the products are checked where they are read; on more, also by helpers.
    for jobs in ["1", "2", "3"] {
        answers_each_line_before_the_next_comes(jobs);
    }
}

fn answers_each_line_before_the_next_comes(jobs: &str) {
    use std::io::{BufRead, BufReader, Write};
    let dir = folder(&[]);
    let args = [&FROM_STDIN[..], &["--fail-on", "never", "--jobs", jobs]].concat();
    let mut child = formfit_piped(dir.path(), &args);
    let mut input = child.stdin.take().unwrap();
    let (sender, answers) = std::sync::mpsc::channel();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || loop {
        let mut line = String::new();
        if output.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let _ = sender.send(line);
    });
    for i in 1..=3 {
        let id = format!("P-{i:05}");
        writeln!(input, "{}", cartridge_line(&id, "5.56×45 mm NATO")).unwrap();
        input.flush().unwrap();
        let answer = answers
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| {
                panic!("--jobs {jobs}: no answer to line {i} while the stream stays open")
            });
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(answer["type"], "product");
        assert_eq!(answer["product"], id.as_str());
    }
    drop(input);
    let summary = answers
        .recv_timeout(std::time::Duration::from_secs(20))
        .unwrap();
    assert!(summary.starts_with("{\"type\":\"summary\""), "{summary}");
    assert!(child.wait().unwrap().success());
}

fn lines_of_type(output: &Output, kind: &str) -> usize {
    lines(output).iter().filter(|l| l["type"] == kind).count()
}

#[test]
fn an_unreadable_stream_or_a_broken_pack_still_exits_3() {
    let dir = folder(&[
        ("catalogue.ndjson", &catalogue(2)),
        ("rules/broken.toml", "[standard\n"),
    ]);
    let missing = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--ndjson",
            "missing.ndjson",
            "--format",
            "ndjson",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(missing.status.code(), Some(3));
    assert_eq!(lines_of_type(&missing, "diagnostic"), 1);
    assert_eq!(lines(&missing).last().unwrap()["type"], "summary");
    let broken = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--rules",
            "rules",
            "--ndjson",
            "catalogue.ndjson",
            "--format",
            "ndjson",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(broken.status.code(), Some(3));
    assert_eq!(lines_of_type(&broken, "product"), 0);
}

#[test]
fn results_come_in_input_order_whatever_the_number_of_threads() {
    let dir = folder(&[("catalogue.ndjson", &catalogue(300))]);
    let run = |jobs: &str| {
        formfit_in(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--ndjson",
                "catalogue.ndjson",
                "--format",
                "ndjson",
                "--jobs",
                jobs,
            ],
        )
    };
    let one = run("1");
    let four = run("4");
    let numbers: Vec<u64> = lines(&four)
        .iter()
        .filter(|l| l["type"] == "product")
        .map(|l| l["line"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=300).collect::<Vec<_>>());
    assert_eq!(stdout(&one), stdout(&four));
    assert_eq!(one.status.code(), Some(1));
}

#[test]
fn shards_product_lines_concatenated_equal_the_whole_runs() {
    let mut files: Vec<(String, String)> = (1..=11)
        .map(|i| {
            let caliber = if i % 4 == 0 {
                ".223 Remington"
            } else {
                "5.56×45 mm NATO"
            };
            (
                format!("products/p{i:02}.json"),
                cartridge_line(&format!("F-{i}"), caliber),
            )
        })
        .collect();
    files.push(("catalogue.ndjson".to_owned(), catalogue(11)));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let dir = folder(&refs);
    for input in [["products", ""], ["--ndjson", "catalogue.ndjson"]] {
        let run = |shard: Option<&str>| {
            let mut args = vec!["check", "--no-config", "--format", "ndjson"];
            args.extend(input.iter().filter(|a| !a.is_empty()));
            if let Some(shard) = shard {
                args.extend(["--shard", shard]);
            }
            formfit_in(dir.path(), &args)
        };
        let whole = product_lines(&run(None));
        assert_eq!(whole.len(), 11);
        let shards: Vec<String> = ["1/3", "2/3", "3/3"]
            .iter()
            .flat_map(|s| product_lines(&run(Some(s))))
            .collect();
        assert_eq!(shards, whole, "{input:?}");
        assert!(product_lines(&run(Some("1/3"))).len() < 11);
    }
}

#[test]
fn stdin_cannot_be_sharded_and_a_shard_must_be_k_of_n() {
    let dir = folder(&[]);
    let stdin = formfit_with_stdin(
        dir.path(),
        &["check", "--no-config", "--ndjson", "-", "--shard", "1/2"],
        &catalogue(2),
    );
    assert_eq!(stdin.status.code(), Some(3));
    assert!(
        stderr(&stdin).contains("cannot cut standard input"),
        "{}",
        stderr(&stdin)
    );
    let wrong = formfit_in(
        dir.path(),
        &["check", "--no-config", "x.toml", "--shard", "3/2"],
    );
    assert_eq!(wrong.status.code(), Some(3));
    let zero = formfit_in(
        dir.path(),
        &["check", "--no-config", "x.toml", "--jobs", "0"],
    );
    assert_eq!(zero.status.code(), Some(3));
}

#[test]
fn json_from_a_stream_is_one_document_and_ndjson_serves_files_too() {
    let dir = folder(&[
        ("catalogue.ndjson", &catalogue(4)),
        ("a.json", &cartridge_line("A-1", "5.56×45 mm NATO")),
    ]);
    let document = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--ndjson",
            "catalogue.ndjson",
            "--format",
            "json",
        ],
    );
    let value = json(&document);
    assert_eq!(value["products"].as_array().unwrap().len(), 4);
    assert_eq!(value["products"][2]["line"], 3);
    assert_eq!(value["summary"]["verdicts"]["non-conformant"], 1);
    let files = formfit_in(
        dir.path(),
        &["check", "--no-config", "--format", "ndjson", "a.json"],
    );
    assert_eq!(files.status.code(), Some(0));
    let lines = lines(&files);
    assert_eq!(lines[0]["file"], "a.json");
    assert!(lines[0].get("line").is_none());
    assert_eq!(lines[1]["type"], "summary");
}

#[test]
fn an_id_met_again_in_a_stream_is_a_warning_on_the_later_line() {
    let stream = [
        cartridge_line("SAME-1", "5.56×45 mm NATO"),
        cartridge_line("OTHER-2", "5.56×45 mm NATO"),
        cartridge_line("SAME-1", "5.56×45 mm NATO"),
    ]
    .join("\n");
    let dir = folder(&[("catalogue.ndjson", &stream)]);
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--ndjson",
            "catalogue.ndjson",
            "--format",
            "ndjson",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rules: Vec<Vec<String>> = lines(&output)[..3]
        .iter()
        .map(|l| {
            l["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect();
    assert_eq!(
        rules,
        [
            vec![],
            vec![],
            vec!["formfit/duplicate-product-id".to_owned()]
        ]
    );
    let message = lines(&output)[2]["findings"][0]["message"].clone();
    assert!(
        message
            .as_str()
            .unwrap()
            .contains("an earlier line of catalogue.ndjson"),
        "{message}"
    );
}

/// A named pipe is a stream too: it must not be used up by counting its lines first.
#[cfg(unix)]
#[test]
fn a_named_pipe_streams_like_a_file() {
    let dir = folder(&[]);
    let pipe = dir.path().join("catalogue.pipe");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::write(pipe, catalogue(3)))
    };
    let output = formfit_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--ndjson",
            "catalogue.pipe",
            "--format",
            "ndjson",
        ],
    );
    writer.join().unwrap().unwrap();
    assert_eq!(product_lines(&output).len(), 3, "{}", stderr(&output));
}

#[test]
fn every_format_names_the_streams_line() {
    let stream = [
        cartridge_line("P-1", "5.56×45 mm NATO"),
        cartridge_line("P-2", "5.56×45 mm NATO"),
        cartridge_line("P-3", ".223 Remington"),
    ]
    .join("\n");
    let dir = folder(&[("catalogue.ndjson", &stream)]);
    let run = |format: &str| {
        formfit_in(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--ndjson",
                "catalogue.ndjson",
                "--format",
                format,
            ],
        )
    };
    let sarif = json(&run("sarif"));
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3, "{region}");
    let github = stdout(&run("github"));
    assert!(
        github.contains("::error file=catalogue.ndjson,line=3,"),
        "{github}"
    );
    let gitlab = json(&run("gitlab"));
    assert_eq!(gitlab[0]["location"]["lines"]["begin"], 3);
    let human = stdout(&run("human"));
    assert!(human.contains("[catalogue.ndjson:3:"), "{human}");
    assert!(
        human.contains("catalogue.ndjson:3: P-3 NON-CONFORMANT"),
        "{human}"
    );
}

/// Issue 11: SARIF and JUnit are written as products finish, the head (SARIF's rule
/// descriptors and the indices results name them by, JUnit's counts) at the end; the document
/// must be the one the whole report renders to. The rules are met out of their sorted order
/// (VHF, STANAG, formfit's own, MIL…), so a result's `ruleIndex` written before the last
/// product would be wrong; a waived finding and the deviations file's own report come last.
#[test]
fn sarif_and_junit_written_as_products_finish_are_the_documents_of_the_whole_report() {
    use formfit::render::report::format::Format;
    use formfit::render::report::stream::Streamer;
    use formfit::session::{Options, Session};
    let products = [
        "fixtures/vhf-combat-net-radio/bad-30-88.toml",
        "fixtures/stanag-4172/bad-223.toml",
        "fixtures/invalid/typo-calibre.toml",
        "fixtures/stanag-4172/good-rifle.yaml",
        "fixtures/mil-std-1275/bad-18-32v.toml",
        "fixtures/invalid/syntax-json-trailing-comma.json",
        "fixtures/nato-uhf-air-band/bad-partial-band.toml",
        "tests/data/matrix/vehicle-radio.toml",
    ];
    let options = Options {
        products: products.iter().map(std::path::PathBuf::from).collect(),
        no_config: true,
        deviations: Some("tests/data/matrix/deviations.toml".into()),
        today: Some("2026-11-25".to_owned()),
        jobs: Some(2),
        ..Options::default()
    };
    let (session, diagnostics) = Session::prepare(&options);
    let report = session.run(diagnostics.clone());
    assert_eq!(
        report.products.len(),
        products.len() + 1,
        "and the deviations file"
    );
    let root = std::env::current_dir().ok();
    for format in [Format::Sarif, Format::Junit] {
        let mut streamed = Vec::new();
        let mut streamer = Streamer::new(
            format,
            root.clone(),
            session.gate,
            session.spelling,
            &mut streamed,
        );
        session.stream(diagnostics.clone(), &mut streamer).unwrap();
        streamer.finish(None).unwrap();
        let whole = format.render(&report, root.as_deref());
        assert_eq!(String::from_utf8(streamed).unwrap(), whole, "{format:?}");
    }
}

#[test]
fn a_report_spooled_to_a_file_and_read_back_in_steps_is_the_whole_reports_document() {
    use formfit::render::report::format::Format;
    use formfit::render::report::human::Style;
    use formfit::render::report::stream::Streamer;
    use formfit::session::{Options, Session};
    // Enough products that the spooled documents pass the spool's megabyte in memory, and
    // are read back from its file in several steps.
    let dir = tempfile::tempdir().unwrap();
    let stream = dir.path().join("catalogue.ndjson");
    std::fs::write(&stream, catalogue(3000)).unwrap();
    let options = Options {
        ndjson: Some(stream),
        no_config: true,
        jobs: Some(2),
        ..Options::default()
    };
    let (session, diagnostics) = Session::prepare(&options);
    let report = session.run(diagnostics.clone());
    assert_eq!(report.products.len(), 3000);
    let human = Format::Human(Style {
        color: false,
        width: 100,
        quiet: false,
        timings: false,
    });
    // GitLab and human spool only the failing products: under the megabyte, still several
    // steps of reading back.
    for (format, least) in [
        (Format::Json, 1 << 20),
        (Format::Sarif, 1 << 20),
        (Format::Junit, 1 << 20),
        (Format::Gitlab, 256 << 10),
        (human, 256 << 10),
    ] {
        let mut streamed = Vec::new();
        let mut streamer =
            Streamer::new(format, None, session.gate, session.spelling, &mut streamed);
        session.stream(diagnostics.clone(), &mut streamer).unwrap();
        streamer.finish(None).unwrap();
        assert!(
            streamed.len() > least,
            "{format:?}: only {} bytes",
            streamed.len()
        );
        let whole = format.render(&report, None);
        assert!(
            String::from_utf8(streamed).unwrap() == whole,
            "{format:?} differs"
        );
    }
}

/// A spool past its megabyte is on disk, and is handed to the kernel to copy into standard
/// output (a pipe here, a file there) or into the report file: each way, the document is whole.
#[test]
fn a_spool_on_disk_reaches_a_pipe_a_file_and_an_output_file_whole() {
    let dir = folder(&[("catalogue.ndjson", &catalogue(3000))]);
    let args = |format: &'static str| {
        vec![
            "check",
            "--no-config",
            "--ndjson",
            "catalogue.ndjson",
            "--format",
            format,
            "--fail-on",
            "never",
        ]
    };
    let piped = formfit_in(dir.path(), &args("json"));
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    assert!(piped.stdout.len() > 1 << 20, "{} bytes", piped.stdout.len());

    let redirected = dir.path().join("redirected.json");
    let status = Command::new(env!("CARGO_BIN_EXE_formfit"))
        .current_dir(dir.path())
        .args(args("json"))
        .stdout(std::fs::File::create(&redirected).unwrap())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        std::fs::read(&redirected).unwrap() == piped.stdout,
        "stdout as a file"
    );

    let mut to_file = args("json");
    to_file.extend(["--output", "report.json"]);
    let written = formfit_in(dir.path(), &to_file);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(
        std::fs::read(dir.path().join("report.json")).unwrap() == piped.stdout,
        "--output"
    );

    // And the document holds every product, as the NDJSON lines have them.
    let products = json(&piped)["products"].as_array().unwrap().clone();
    let mut lines = lines(&formfit_in(dir.path(), &args("ndjson")));
    lines.retain(|line| line["type"] == "product");
    assert_eq!(products.len(), 3000);
    for (product, mut line) in products.into_iter().zip(lines) {
        line.as_object_mut().unwrap().remove("type");
        assert_eq!(product, line);
    }
}
