//! `identifier`
//!
//! # What it checks
//! A structured code has its form: each character of the class its position takes (`9` a digit,
//! `A` a capital letter, `X` either), its separators where the form has them (or none of them,
//! with `separators = "optional"`), and each named part among the values the pack lists. The
//! label lands on the one character, separator or part that is wrong.
//!
//! # Why it matters
//! A stock number or a supplier code one character off names another item or no supplier at
//! all: the catalogue, the tender and the supply chain stop matching, and nobody sees why.
//!
//! # Example
//! `path = "product.nsn"`,
//! `identifier = { name = "NSN", form = "9999-99-X99-9999", separators = "optional" }`
//!
//! # Fails on
//! `nsn = "5820-01-23A-4567"` (the label is on the `A`)

use serde::Deserialize;
use serde_json::json;

use crate::code::PackCode;

use super::terms::{Form, Member, Term, Terms};
use super::{Branch, Check, CompileError, Failure, Keys, Kind, Verdict};
use crate::input::Node;
use crate::level::Level;

/// `identifier` as a pack writes it.
#[derive(Debug, Deserialize)]
struct IdentifierSpec {
    name: String,
    form: String,
    #[serde(default)]
    separators: Separators,
    #[serde(default, rename = "part")]
    parts: Vec<PartSpec>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Separators {
    #[default]
    Required,
    Optional,
}

/// A named run of characters that must be one of some values (a bureau's code).
#[derive(Debug, Deserialize)]
struct PartSpec {
    name: String,
    /// 1-based positions among the form's characters, separators not counted.
    from: usize,
    to: usize,
    one_of: Vec<String>,
    why: String,
    level: Option<Level>,
}

pub(super) const KIND: Kind = Kind {
    name: "identifier",
    selects: &["identifier"],
    options: &[],
    branches: &[
        Branch::Passes,
        Branch::Differs,
        Branch::UnlistedPart,
        Branch::Absent,
    ],
    summary: "a structured code has its form, character by character, and its parts' values",
    schema,
    build,
};

fn schema() -> serde_json::Value {
    json!({
        "properties": {"identifier": {
            "type": "object",
            "required": ["name", "form"],
            "additionalProperties": false,
            "properties": {
                "name": {
                    "type": "string",
                    "minLength": 1,
                    "description": "What the code is called in labels, e.g. \"NSN\"."
                },
                "form": {
                    "type": "string",
                    "minLength": 1,
                    "description": "A character per position: 9 a digit, A a capital letter, X either; any other character is a separator."
                },
                "separators": {
                    "enum": ["required", "optional"],
                    "description": "Whether the code may be written without its separators (all of them or none); default required."
                },
                "part": {"type": "array", "items": {"$ref": "#/$defs/identifierPart"}}
            }
        }},
        "$defs": {"identifierPart": {
            "type": "object",
            "description": "A run of the code's characters that must be one of some values.",
            "required": ["name", "from", "to", "one_of", "why"],
            "additionalProperties": false,
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "from": {"type": "integer", "minimum": 1, "description": "First position, counting the form's characters from 1, separators not counted."},
                "to": {"type": "integer", "minimum": 1, "description": "Last position, inclusive."},
                "one_of": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                "why": {"type": "string", "minLength": 1, "description": "The label shown at a value not listed."},
                "level": {"enum": ["should", "may"], "description": "The finding's level when lower than the rule's (a list known to be partial)."}
            }
        }}
    })
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Class {
    Digit,
    Letter,
    Either,
}

impl Class {
    fn accepts(self, c: char) -> bool {
        match self {
            Class::Digit => c.is_ascii_digit(),
            Class::Letter => c.is_ascii_uppercase(),
            Class::Either => c.is_ascii_digit() || c.is_ascii_uppercase(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Class::Digit => "a digit",
            Class::Letter => "a capital letter",
            Class::Either => "a digit or a capital letter",
        }
    }
}

#[derive(Debug)]
enum Slot {
    Char(Class),
    Separator(char),
}

#[derive(Debug)]
struct Part {
    name: String,
    /// 0-based character positions, separators not counted; `to` exclusive.
    from: usize,
    to: usize,
    one_of: Vec<String>,
    why: String,
    level: Option<Level>,
}

#[derive(Debug)]
struct Identifier {
    name: String,
    form: String,
    slots: Vec<Slot>,
    separators: Separators,
    parts: Vec<Part>,
}

fn build(keys: &Keys) -> Result<Box<dyn Check>, CompileError> {
    let Some(spec) = keys.read::<IdentifierSpec>("identifier")? else {
        return Err(keys.error("identifier", "`identifier` is missing"));
    };
    let slots: Vec<Slot> = spec
        .form
        .chars()
        .map(|c| match c {
            '9' => Slot::Char(Class::Digit),
            'A' => Slot::Char(Class::Letter),
            'X' => Slot::Char(Class::Either),
            other => Slot::Separator(other),
        })
        .collect();
    let length = slots.iter().filter(|s| matches!(s, Slot::Char(_))).count();
    let node = keys.get("identifier");
    let at = |path: &[&str], message: String| match node.map(|n| descend(n, path)) {
        Some(n) => CompileError::at(n, message).because(PackCode::CheckForm),
        None => keys
            .error("identifier", message)
            .because(PackCode::CheckForm),
    };
    if length == 0 {
        return Err(at(
            &["form"],
            "the form has no character positions (9, A or X)".to_owned(),
        ));
    }
    let mut parts = Vec::new();
    for (i, part) in spec.parts.into_iter().enumerate() {
        let index = i.to_string();
        if part.from > part.to || part.to > length {
            return Err(at(
                &["part", &index],
                format!(
                    "positions {}–{} are not within the form's {length} characters",
                    part.from, part.to
                ),
            ));
        }
        let width = part.to - part.from + 1;
        if let Some((j, value)) = part
            .one_of
            .iter()
            .enumerate()
            .find(|(_, v)| v.chars().count() != width)
        {
            return Err(at(
                &["part", &index, "one_of", &j.to_string()],
                format!("`{value}` is not {width} characters long"),
            ));
        }
        parts.push(Part {
            name: part.name,
            from: part.from - 1,
            to: part.to,
            one_of: part.one_of,
            why: part.why,
            level: part.level,
        });
    }
    Ok(Box::new(Identifier {
        name: spec.name,
        form: spec.form,
        slots,
        separators: spec.separators,
        parts,
    }))
}

/// The node at a path of keys and indices below `node`, or the deepest one that exists.
fn descend<'a>(node: &'a Node, path: &[&str]) -> &'a Node {
    use crate::input::PointerSegment;
    node.at_pointer(path.iter().map(|p| PointerSegment::Key(p)))
}

impl Check for Identifier {
    fn terms(&self) -> Terms {
        let optional = self.separators == Separators::Optional;
        let mut terms = vec![
            Term::new(
                "identifier.form",
                &self.form,
                Form::Exactly(self.form.clone()),
            ),
            Term::new(
                "identifier.separators",
                if optional { "optional" } else { "required" },
                Form::Switch {
                    on: optional,
                    on_loosens: true,
                },
            ),
        ];
        for part in &self.parts {
            // A part is placed by its positions: the same name elsewhere is another part.
            let name = format!(
                "identifier part {} ({}-{})",
                part.name,
                part.from + 1,
                part.to
            );
            let members = part.one_of.iter().map(|v| Member::exact(v)).collect();
            terms.push(Term::new(
                name,
                part.one_of.join(", "),
                Form::OnlyThese(members),
            ));
        }
        Terms {
            kind: KIND.name,
            terms,
        }
    }

    fn kind(&self) -> &'static Kind {
        &KIND
    }

    fn takes(&self, branch: Branch) -> bool {
        branch != Branch::UnlistedPart || !self.parts.is_empty()
    }

    fn describe(&self) -> String {
        let separators = match self.separators {
            Separators::Required => "",
            Separators::Optional => ", separators optional",
        };
        let parts: String = self
            .parts
            .iter()
            .map(|p| format!("; {} one of {}", p.name, p.one_of.join(", ")))
            .collect();
        format!(
            "is {} in the form {}{separators}{parts}",
            self.name, self.form
        )
    }

    fn judge(&self, node: &Node) -> Verdict {
        let Some(text) = node.as_str() else {
            return Verdict::Fail(Failure::new(
                Branch::Mismatch,
                format!("{}, not text", node.type_name()),
            ));
        };
        match self.read(text) {
            Ok(chars) => match self.wrong_part(&chars) {
                Some(failure) => Verdict::Fail(failure),
                None => Verdict::PASS,
            },
            Err(failure) => Verdict::Fail(failure),
        }
    }
}

impl Identifier {
    /// The code's characters with their byte ranges, when the text has the form.
    fn read(&self, text: &str) -> Result<Vec<(char, std::ops::Range<usize>)>, Failure> {
        let written: Vec<(usize, char)> = text.char_indices().collect();
        let bytes = |i: usize| {
            let (start, c) = written[i];
            start..start + c.len_utf8()
        };
        let form = &self.form;
        let name = &self.name;
        // With optional separators, the code is written with all of them or none.
        let with_separators = self.separators == Separators::Required
            || self
                .slots
                .iter()
                .zip(&written)
                .any(|(slot, (_, c))| matches!(slot, Slot::Separator(s) if s == c));
        let mut chars = Vec::new();
        let mut i = 0;
        for slot in &self.slots {
            let next = written.get(i).map(|(_, c)| *c);
            match (slot, next) {
                (Slot::Separator(_), _) if !with_separators => {}
                (Slot::Separator(s), Some(c)) if c == *s => i += 1,
                (Slot::Separator(s), Some(c)) => {
                    return Err(Failure::new(
                        Branch::Differs,
                        format!("`{c}` where {name} has `{s}` ({form})"),
                    )
                    .inside(bytes(i)))
                }
                (Slot::Char(class), Some(c)) if class.accepts(c) => {
                    chars.push((c, bytes(i)));
                    i += 1;
                }
                (Slot::Char(_), Some(c)) if !c.is_alphanumeric() && self.has_separators() => {
                    return Err(Failure::new(
                        Branch::Differs,
                        format!(
                            "`{c}` is not a separator of {name} ({form}){}",
                            match self.separators {
                                Separators::Optional => ": use the form's or none",
                                Separators::Required => "",
                            }
                        ),
                    )
                    .inside(bytes(i)));
                }
                (Slot::Char(class), Some(c)) => {
                    let capitals = if c.is_ascii_lowercase() && *class != Class::Digit {
                        ": write it in capitals"
                    } else {
                        ""
                    };
                    return Err(Failure::new(
                        Branch::Differs,
                        format!("`{c}` where {name} has {} ({form}){capitals}", class.name()),
                    )
                    .inside(bytes(i)));
                }
                (_, None) => {
                    let expected = self.slots.iter().filter(|s| matches!(s, Slot::Char(_)));
                    return Err(Failure::new(
                        Branch::Differs,
                        format!(
                            "{} characters; {name} has {} ({form})",
                            chars.len(),
                            expected.count()
                        ),
                    ));
                }
            }
        }
        if i < written.len() {
            let rest = bytes(i).start..text.len();
            return Err(Failure::new(
                Branch::Differs,
                format!(
                    "`{}` after the end of {name} ({form}) is not part of it",
                    &text[rest.clone()]
                ),
            )
            .inside(rest));
        }
        Ok(chars)
    }

    fn has_separators(&self) -> bool {
        self.slots.iter().any(|s| matches!(s, Slot::Separator(_)))
    }

    /// The first part whose value the pack does not list.
    fn wrong_part(&self, chars: &[(char, std::ops::Range<usize>)]) -> Option<Failure> {
        self.parts.iter().find_map(|part| {
            let run = &chars[part.from..part.to];
            let value: String = run.iter().map(|(c, _)| c).collect();
            if part.one_of.contains(&value) {
                return None;
            }
            let bytes = run[0].1.start..run[run.len() - 1].1.end;
            let mut failure = Failure::new(
                Branch::UnlistedPart,
                format!("`{value}` ({}): {}", part.name, part.why),
            )
            .inside(bytes);
            failure.level = part.level;
            Some(failure)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tester::{assert_branches, check, pack_errors, pack_errors_at};

    const NSN: &str = "path = \"product.x-nsn\"\n\
        identifier = { name = \"the NSN\", form = \"9999-99-X99-9999\", separators = \"optional\", \
        part = [{ name = \"bureau code\", from = 5, to = 6, one_of = [\"00\", \"01\", \"12\"], \
        why = \"not a bureau code this pack lists\", level = \"should\" }] }";

    fn nsn(value: &str) -> crate::engine::tester::Tested {
        check(NSN, &format!("x-nsn = {value:?}"))
    }

    #[test]
    fn a_well_formed_code_passes_with_or_without_separators() {
        for value in ["5820-01-234-5678", "5820012345678", "5820-12-C34-5678"] {
            assert!(
                nsn(value).labels().is_empty(),
                "{value}: {:?}",
                nsn(value).labels()
            );
        }
    }

    #[test]
    fn the_label_lands_on_the_wrong_character() {
        let tested = nsn("5820-01-23A-4567");
        assert_eq!(tested.at(), ["A"]);
        assert_eq!(
            tested.labels(),
            ["`A` where the NSN has a digit (9999-99-X99-9999)"]
        );
        let lower = nsn("5820-01-c34-5678");
        assert_eq!(lower.at(), ["c"]);
        assert!(
            lower.labels()[0].ends_with("write it in capitals"),
            "{:?}",
            lower.labels()
        );
    }

    #[test]
    fn separators_are_all_or_none_and_only_where_the_form_has_them() {
        let spaced = nsn("5820 01 234 5678");
        assert_eq!(spaced.at(), [" "]);
        assert_eq!(
            spaced.labels(),
            ["` ` is not a separator of the NSN (9999-99-X99-9999): use the form's or none"]
        );
        assert_eq!(nsn("5820-01234-5678").at(), ["2"]);
    }

    #[test]
    fn too_short_is_on_the_value_and_too_long_on_what_is_extra() {
        let short = nsn("5820-01-234-567");
        assert_eq!(short.at(), ["\"5820-01-234-567\""]);
        assert_eq!(
            short.labels(),
            ["12 characters; the NSN has 13 (9999-99-X99-9999)"]
        );
        assert_eq!(nsn("5820-01-234-5678AB").at(), ["AB"]);
    }

    #[test]
    fn a_part_not_listed_fails_at_its_level_on_its_characters() {
        let tested = nsn("5820-77-234-5678");
        assert_eq!(tested.at(), ["77"]);
        assert_eq!(tested.only().level, crate::level::Level::Should);
    }

    #[test]
    fn each_branch_a_code_takes_is_counted() {
        use crate::check::Branch::{Absent, Differs, Passes, UnlistedPart};
        assert_branches(
            NSN,
            &[
                ("x-nsn = \"5820-01-234-5678\"", &[Passes]),
                ("x-nsn = \"5820-01-23A-4567\"", &[Differs]),
                ("x-nsn = \"5820-77-234-5678\"", &[UnlistedPart]),
                ("[power]\nsource = \"vehicle\"", &[Absent]),
            ],
        );
    }

    #[test]
    fn a_number_is_not_a_code() {
        let tested = check(NSN, "x-nsn = 5820012345678");
        assert_eq!(tested.labels(), ["a number, not text"]);
    }

    #[test]
    fn a_form_without_positions_or_a_part_outside_it_is_a_pack_error() {
        assert_eq!(
            pack_errors_at(
                "path = \"product.x-nsn\"\nidentifier = { name = \"N\", form = \"--\" }"
            ),
            ["\"--\""]
        );
        assert_eq!(
            pack_errors(
                "path = \"product.x-nsn\"\nidentifier = { name = \"N\", form = \"99\", part = [{ name = \"p\", from = 2, to = 3, one_of = [\"1\"], why = \"w\" }] }"
            ),
            ["positions 2–3 are not within the form's 2 characters"]
        );
        assert_eq!(
            pack_errors_at(
                "path = \"product.x-nsn\"\nidentifier = { name = \"N\", form = \"99\", part = [{ name = \"p\", from = 1, to = 2, one_of = [\"12\", \"1\"], why = \"w\" }] }"
            ),
            ["\"1\""]
        );
    }
}
