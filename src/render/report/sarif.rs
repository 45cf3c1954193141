//! `--format sarif`: SARIF 2.1.0 for code-scanning services. One run; `tool.driver.rules` lists
//! every rule evaluated; results carry stable partial fingerprints so a finding is tracked
//! across commits. Validated against the official schema in the tests, and in CI by
//! Microsoft's SARIF multitool with GitHub's rules (`scripts/test-consumers.sh`): every rule has
//! a static descriptor with help (pack rules from their pack, formfit's own codes from
//! [`crate::code`]), and a Pascal-case `name` made from its id ([`friendly_name`]), which
//! Azure DevOps requires and which never repeats the id. A finding of a pack rule points at the
//! rule in its pack as a related location, unless the pack's text is not to be shown.
//!
//! GitHub does not apply `suppressions`: a waived finding is a `note` whose text names the
//! approval, so the alert says why it does not fail, and carries the suppression for services
//! that do apply it (Azure DevOps, the SARIF viewer).
//!
//! Streamed, each product's [`results`] are written as it finishes; the rules come before the
//! results and a result names its rule by its index among them, sorted by id, so a streamed
//! result holds its rule's id until [`copy_results`] writes the index, once every rule is met.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::Path;

use serde_json::{json, Value};

use crate::hint::Spelling;
use crate::pack::model::Level;
use crate::render::Severity;
use crate::report::gate::{self, Gate};
use crate::report::{
    fingerprint, region, relative_to, Disposition, Finding, ProductReport, Report, RunDiagnostic,
    Totals,
};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(level: Level) -> &'static str {
    Severity::of_level(level).named("error", "warning", "note")
}

/// A result's level says what it means for the gate: only what fails it is an error.
fn result_level(disposition: Disposition) -> &'static str {
    Severity::of(disposition).named("error", "warning", "note")
}

/// Whether formfit did what was asked, with its own problems as notifications: a run that
/// exits 3 is never read as a clean scan.
fn invocation(
    diagnostics: &[RunDiagnostic],
    totals: &Totals,
    gate: &Gate,
    spelling: Spelling,
    root: Option<&Path>,
) -> Value {
    let exit_code = gate::exit_code(diagnostics, totals, gate);
    let notifications: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut notification = json!({
                "descriptor": { "id": d.id() },
                "level": level(d.level),
                "message": { "text": match &d.help_text(spelling) {
                    Some(help) => format!("{} ({help})", d.message),
                    None => d.message.clone(),
                } },
            });
            if let Some(l) = &d.location {
                let ((line, column), _) = region(&l.text, &l.span);
                let (uri, base) = artifact_uri(&l.file, root);
                let mut artifact = json!({ "uri": uri });
                if let Some(base) = base {
                    artifact["uriBaseId"] = json!(base);
                }
                notification["locations"] = json!([{ "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": { "startLine": line, "startColumn": column },
                } }]);
            }
            notification
        })
        .collect();
    json!({
        "executionSuccessful": exit_code != 3,
        "exitCode": exit_code,
        "toolExecutionNotifications": notifications,
    })
}

/// The rule descriptors of a run, by id: each rule's first descriptor met is kept, and
/// `tool.driver.rules` lists them sorted by id, which is what a result's `ruleIndex` counts.
/// A streamed run keeps only these (one per rule, however many products) until its end.
#[derive(Debug, Default)]
pub struct Rules(BTreeMap<String, Value>);

impl Rules {
    /// The rules `product` evaluated, then those of its findings, each added unless met before.
    pub fn meet(&mut self, product: &ProductReport, spelling: Spelling) {
        for evaluation in &product.evaluations {
            let rule = evaluation.rule();
            let pack = &evaluation.pack;
            self.0.entry(rule.id.clone()).or_insert_with(|| {
                let cited = format!(
                    "{} (edition {}), {}",
                    pack.meta.designation, pack.meta.edition, rule.clause
                );
                let fix = rule.help.as_deref().unwrap_or("");
                let gap = |between: &'static str| if rule.help.is_some() { between } else { "" };
                let help = format!(
                    "{fix}{}Standard: {cited}. Source: {}.",
                    gap(" "),
                    pack.meta.source
                );
                let markdown = format!(
                    "{fix}{}**Standard:** {cited}.  \n**Source:** {}.",
                    gap("\n\n"),
                    pack.meta.source
                );
                json!({
                    "id": rule.id,
                    "name": friendly_name(&rule.id),
                    "shortDescription": { "text": rule.message },
                    "fullDescription": { "text": rule.rationale.as_deref().unwrap_or(&rule.message) },
                    "help": { "text": help, "markdown": markdown },
                    "defaultConfiguration": { "level": level(rule.level) },
                    "properties": { "standard": pack.meta.designation, "clause": rule.clause, "level": rule.level.as_str() },
                })
            });
        }
        for finding in &product.findings {
            self.0
                .entry(finding.rule.clone())
                .or_insert_with(|| own_rule(finding, spelling));
        }
    }

    /// Each rule's index in `tool.driver.rules`.
    fn index(&self) -> BTreeMap<&str, usize> {
        self.0
            .keys()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect()
    }
}

/// `root` is the repository root: artifact URIs are relative to it, under the `SRCROOT` base.
pub fn render(report: &Report, root: Option<&Path>) -> String {
    let mut rules = Rules::default();
    for product in &report.products {
        rules.meet(product, report.spelling);
    }
    let index = rules.index();
    let results: Vec<String> = report
        .products
        .iter()
        .map(|product| results(product, root, Some(&index)))
        .filter(|piece| !piece.is_empty())
        .collect();
    let frame = frame(
        &rules,
        &report.totals(),
        &report.diagnostics,
        &report.gate,
        report.spelling,
        root,
    );
    if results.is_empty() {
        frame.empty()
    } else {
        format!("{}{}{}", frame.open(), results.join(",\n"), frame.close())
    }
}

/// The document around the results array, as pretty JSON prints it: `head` ends
/// `"results": [`, `end` starts at its `]`.
pub struct Frame {
    head: String,
    end: String,
}

impl Frame {
    /// The document of a run with no result.
    pub fn empty(&self) -> String {
        format!("{}{}", self.head, self.end)
    }

    /// What comes before the results, when there are some.
    pub fn open(&self) -> String {
        format!("{}\n", self.head)
    }

    /// What comes after them: the array closed at the depth of `runs[0]`'s keys.
    pub fn close(&self) -> String {
        format!("\n      {}", self.end)
    }
}

/// The document around the results, once the run is over: the rules, the invocation and the
/// marking depend on every product.
pub fn frame(
    rules: &Rules,
    totals: &Totals,
    diagnostics: &[RunDiagnostic],
    gate: &Gate,
    spelling: Spelling,
    root: Option<&Path>,
) -> Frame {
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "formfit",
                "fullName": concat!("formfit ", env!("CARGO_PKG_VERSION")),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/formfit/formfit",
                "rules": rules.0.values().collect::<Vec<_>>(),
            }
        },
        // One category for every formfit upload, so a later upload replaces the earlier alerts.
        "automationDetails": { "id": "formfit/" },
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation(diagnostics, totals, gate, spelling, root)],
        "results": [],
        "properties": { "classification": totals.markings.banner() },
    });
    if let Some(root) = root {
        let uri = format!(
            "file://{}/",
            root.display().to_string().trim_end_matches('/')
        );
        run["originalUriBaseIds"] = json!({ "SRCROOT": { "uri": uri } });
    }
    let sarif = json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] });
    let mut head = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    head.push('\n');
    // A quote inside a string is escaped, so this is the run's own key.
    const RESULTS: &str = "\"results\": []";
    let cut = head
        .find(RESULTS)
        .map_or(head.len(), |at| at + RESULTS.len() - 1);
    let end = head.split_off(cut);
    Frame { head, end }
}

/// A product's results, one per finding, indented as elements of the results array and joined
/// with `,\n`; empty when it has none. With no `index` (a streamed run, whose rule indices are
/// known only at its end), each `ruleIndex` holds its rule's id for [`copy_results`] to replace.
pub fn results(
    product: &ProductReport,
    root: Option<&Path>,
    index: Option<&BTreeMap<&str, usize>>,
) -> String {
    product
        .findings
        .iter()
        .map(|f| {
            let rule_index = match index {
                Some(index) => index.get(f.rule.as_str()).map(|i| json!(i)),
                None => Some(json!(f.rule)),
            };
            // Elements of `runs[0].results`, one level deeper than its keys.
            super::json::indent(&result(product, f, rule_index, root), "        ")
        })
        .collect::<Vec<_>>()
        .join(",\n")
}

/// Copies streamed [`results`] from `from` to `out`, each rule id held in a `ruleIndex` turned
/// into its index among `rules`. Pretty JSON puts each key of a result on its own line, and a
/// line that starts with the key (after the indent) is the key: a string's quotes are escaped.
pub fn copy_results(from: &mut dyn BufRead, out: &mut dyn Write, rules: &Rules) -> io::Result<()> {
    const KEY: &str = "\"ruleIndex\": ";
    let index = rules.index();
    let mut line = String::new();
    while from.read_line(&mut line)? > 0 {
        let body = line.trim_start_matches(' ');
        match body.strip_prefix(KEY).filter(|held| held.starts_with('"')) {
            Some(held) => {
                let (id, rest) = split_string(held);
                let id: String = serde_json::from_str(id).map_err(io::Error::other)?;
                let i = index.get(id.as_str()).ok_or_else(|| {
                    io::Error::other(format!("SARIF: no descriptor for rule {id}"))
                })?;
                let indent = &line[..line.len() - body.len()];
                write!(out, "{indent}{KEY}{i}{rest}")?;
            }
            None => out.write_all(line.as_bytes())?,
        }
        line.clear();
    }
    Ok(())
}

/// A line that starts with a JSON string, cut after the string's closing quote.
fn split_string(line: &str) -> (&str, &str) {
    let mut escaped = false;
    for (i, c) in line.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return line.split_at(i + 1),
            _ => escaped = false,
        }
    }
    (line, "")
}

fn result(
    product: &ProductReport,
    f: &Finding,
    rule_index: Option<Value>,
    root: Option<&Path>,
) -> Value {
    let ((start_line, start_column), (end_line, end_column)) = product.region(&f.span);
    let (uri, base) = artifact_uri(&product.file, root);
    let mut artifact = json!({ "uri": uri });
    if let Some(base) = base {
        artifact["uriBaseId"] = json!(base);
    }
    let mut text = f.message_with_label();
    if let Some(w) = &f.waiver {
        text = format!(
            "{text} (waived by approved deviation {}, expires {})",
            w.approval, w.expires
        );
    }
    let mut result = json!({
        "ruleId": f.rule,
        "level": result_level(f.disposition),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": {
                    "startLine": start_line,
                    "startColumn": start_column,
                    "endLine": end_line,
                    "endColumn": end_column.max(if end_line == start_line { start_column } else { 1 }),
                }
            }
        }],
        "partialFingerprints": { "formfitFinding/v1": fingerprint(product, f) },
        "properties": { "path": f.path, "status": f.status.as_str(), "gating": f.gating, "disposition": f.disposition.as_str() },
    });
    if let Some(i) = rule_index {
        result["ruleIndex"] = i;
    }
    if let Some(standard) = &f.standard {
        result["properties"]["standard"] = json!(standard);
    }
    if let Some(code) = f.code {
        result["properties"]["code"] = json!(code.id());
    }
    if let Some(rule) = &f.rule_location {
        let (line, column) = (rule.line, rule.column);
        let (uri, base) = artifact_uri(&rule.file, root);
        let mut artifact = json!({ "uri": uri });
        if let Some(base) = base {
            artifact["uriBaseId"] = json!(base);
        }
        result["relatedLocations"] = json!([{
            "id": 0,
            "physicalLocation": {
                "artifactLocation": artifact,
                "region": { "startLine": line, "startColumn": column },
            },
            "message": { "text": rule.label.clone().unwrap_or_else(|| format!("rule {} is defined here", f.rule)) },
        }]);
    }
    if let Some(w) = &f.waiver {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!("{} (approval {}, expires {})", w.justification, w.approval, w.expires),
        }]);
    }
    result
}

/// The descriptor of a finding that is no pack's rule: formfit's own rule (`input/limit`),
/// described once for all its findings, whichever of its codes they have.
fn own_rule(finding: &Finding, spelling: Spelling) -> Value {
    let level = level(finding.level);
    match crate::code::describe(&finding.rule) {
        Some(doc) => {
            let fix = spelling.fill(doc.fix);
            json!({
                "id": finding.rule,
                "name": friendly_name(&finding.rule),
                "shortDescription": { "text": spelling.fill(doc.short) },
                "fullDescription": { "text": spelling.fill(doc.full) },
                "help": { "text": fix.replace('`', ""), "markdown": fix },
                "defaultConfiguration": { "level": level },
            })
        }
        // Only a finding built with a rule id no code has (the tests in `code` keep every
        // code's rule described): still a complete descriptor, though a generic one.
        None => json!({
            "id": finding.rule,
            "name": friendly_name(&finding.rule),
            "shortDescription": { "text": format!("formfit finding {}", finding.rule) },
            "fullDescription": { "text": format!("A finding of formfit's own check {}.", finding.rule) },
            "help": { "text": finding.help.as_deref().unwrap_or("See the finding's message.") },
            "defaultConfiguration": { "level": level },
        }),
    }
}

/// A rule's `name`, the "friendly name" SARIF asks to be one Pascal-case word (GHAzDO2012 of the
/// multitool requires one; SARIF1001 warns when it equals the id): the id's words, each
/// capitalised (`STANAG4172-CAL-1` is `Stanag4172Cal1`, `input/schema` is `InputSchema`).
fn friendly_name(id: &str) -> String {
    let mut name: String = id
        .split(|c: char| !c.is_alphanumeric())
        .flat_map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first
                .into_iter()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
        })
        .collect();
    if name == id || !name.starts_with(|c: char| c.is_alphabetic()) {
        name.insert_str(0, "Rule");
    }
    name
}

/// The file's URI relative to the repository root (with the base id), or as given.
fn artifact_uri(file: &str, root: Option<&Path>) -> (String, Option<&'static str>) {
    match root.and_then(|root| relative_to(root, file)) {
        Some(uri) => (percent_encode(&uri), Some("SRCROOT")),
        None => (percent_encode(&file.replace('\\', "/")), None),
    }
}

/// Escapes what a URI reference cannot hold literally (spaces, `%`, `#`, `?`, non-ASCII).
fn percent_encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::friendly_name;

    #[test]
    fn a_friendly_name_is_one_pascal_case_word_other_than_the_id() {
        assert_eq!(friendly_name("STANAG4172-CAL-1"), "Stanag4172Cal1");
        assert_eq!(friendly_name("input/schema"), "InputSchema");
        assert_eq!(friendly_name("formfit/not-a-product"), "FormfitNotAProduct");
        // An id that is already such a word, or starts with a digit, is not its own name.
        assert_eq!(friendly_name("A"), "RuleA");
        assert_eq!(friendly_name("1-A"), "Rule1A");
    }
}
