//! A located problem in an input file: the shape every input, schema and pack error takes
//! before it becomes a finding or a run-level diagnostic.

use crate::code::Code;
use crate::hint::Hint;
use crate::span::Span;

/// One problem in a file, with its code (`input/syntax/duplicate-key`), a message that states
/// it, the byte span it is at, and an optional label and fix.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub span: Span,
    pub label: Option<String>,
    pub help: Option<String>,
    /// A fix that names a setting, spelt by the front end; shown instead of `help`.
    pub hint: Option<Hint>,
    /// Where in the document, in report notation (`radio[0].bands`); empty when not known.
    pub path: String,
}

impl Problem {
    pub fn new(code: impl Into<Code>, message: impl Into<String>, span: Span) -> Problem {
        Problem {
            code: code.into(),
            message: message.into(),
            span,
            label: None,
            help: None,
            hint: None,
            path: String::new(),
        }
    }

    /// The rule it is reported under (`input/syntax`), as JSON `rule` and SARIF `ruleId` have
    /// always named it.
    pub fn id(&self) -> &'static str {
        self.code.rule()
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Problem {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn with_hint(mut self, hint: Hint) -> Problem {
        self.hint = Some(hint);
        self
    }

    /// Moves the span by `offset` bytes, for problems found inside a substring.
    pub fn shifted(mut self, offset: usize) -> Problem {
        self.span = self.span.start + offset..self.span.end + offset;
        self
    }
}

/// The closest candidate to `word`, if it is close enough to be a plausible slip.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    // Jaro-Winkler scores short words low for one slip (`nsm` for `nsn` is 0.82), so one edit
    // or swap also counts for words of three characters or more.
    let close = |candidate: &str, score: f64| {
        score >= 0.85 || (word.chars().count() >= 3 && strsim::osa_distance(&word, candidate) == 1)
    };
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), c))
        .filter(|(score, c)| close(&c.to_lowercase(), *score))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_get_a_suggestion_and_far_words_none() {
        let keys = ["caliber", "name"];
        assert_eq!(did_you_mean("calibre", keys), Some("caliber"));
        assert_eq!(
            did_you_mean("chanel_spacing", ["channel_spacing", "tx_power"]),
            Some("channel_spacing")
        );
        assert_eq!(did_you_mean("frequency", keys), None);
        assert_eq!(did_you_mean("nsm", ["nsn", "ncage"]), Some("nsn"));
        assert_eq!(did_you_mean("id", ["is"]), None);
    }
}
