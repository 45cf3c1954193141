//! Man pages: one per command (`formfit.1`, `formfit-check.1`, `formfit-rules-list.1`, …), from
//! the clap definitions, with the sections clap_mangen does not write: EXIT STATUS, ENVIRONMENT
//! and FILES.

use clap::Command;

use super::help::{ENVIRONMENT, EXIT_CODES, FILES};

/// Every page: its file name and its roff text. Commands hidden from the help have none.
pub(crate) fn pages(command: Command) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    collect(&command, &mut pages)?;
    Ok(pages)
}

fn collect(command: &Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    pages.push(page(command)?);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, pages)?;
    }
    Ok(())
}

/// The page of one command: clap_mangen's sections, then formfit's.
fn page(command: &Command) -> std::io::Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(command.clone());
    let mut roff = Vec::new();
    man.render_title(&mut roff)?;
    man.render_name_section(&mut roff)?;
    man.render_synopsis_section(&mut roff)?;
    man.render_description_section(&mut roff)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut roff)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(&mut roff)?;
    }
    if command.get_after_help().is_some() {
        man.render_extra_section(&mut roff)?;
    }
    section(&mut roff, "EXIT STATUS", &EXIT_CODES);
    section(&mut roff, "ENVIRONMENT", &ENVIRONMENT);
    section(&mut roff, "FILES", &FILES);
    // Subcommands carry no version of their own (clap_mangen would panic on one).
    if command.get_version().is_some() {
        man.render_version_section(&mut roff)?;
    }
    Ok((man.get_filename(), roff))
}

/// A section of tagged paragraphs.
fn section(roff: &mut Vec<u8>, title: &str, rows: &[(&str, &str)]) {
    let mut text = format!(".SH \"{title}\"\n");
    for (tag, body) in rows {
        text.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", escape(tag), escape(body)));
    }
    roff.extend_from_slice(text.as_bytes());
}

/// Text as roff prints it: backslashes and hyphens escaped, no line read as a request.
fn escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
