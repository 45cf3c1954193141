//! The server's state and its handlers: messages in, messages out, with no I/O, so that every
//! handler can be driven by a test. The transport loop (`super::serve`) only moves messages.

use std::collections::HashMap;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Completion, HoverRequest, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionOptions, CompletionParams, CompletionResponse,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, Hover, HoverContents, HoverParams, HoverProviderCapability,
    MarkupContent, MarkupKind, PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, Url,
};

use super::analysis::{analyse, Analysis, Sessions};
use super::diagnostics::diagnostic;
use super::document::{Document, Kind};
use super::position::LineIndex;
use super::vocabulary::Vocabulary;
use super::{actions, completion, hover};
use crate::hint::Spelling;
use crate::pack::{Library, PackCompiler};

/// What the server offers: whole-text sync (a product file is small, and a whole text can
/// never drift from the editor's), hover, completion and quick-fixes; positions in UTF-16.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".to_owned(), ".".to_owned(), "[".to_owned()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The open documents, each with its latest analysis.
pub struct State {
    documents: HashMap<Url, (Document, Analysis)>,
    vocabulary: Vocabulary,
    /// The built-in packs, for completion in a document that was not checked in a session.
    builtin: Option<Library>,
    sessions: Sessions,
}

impl State {
    pub fn new(spelling: Spelling) -> State {
        State {
            documents: HashMap::new(),
            vocabulary: Vocabulary::new(),
            builtin: None,
            sessions: Sessions::new(spelling),
        }
    }

    /// A notification handled; what to send back (diagnostics).
    pub fn notification(&mut self, notification: Notification) -> Vec<Message> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = extract::<DidOpenTextDocumentParams>(notification) else {
                    return Vec::new();
                };
                let d = p.text_document;
                let document = Document::new(d.uri, &d.language_id, d.text, d.version);
                self.check(document)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = extract::<DidChangeTextDocumentParams>(notification) else {
                    return Vec::new();
                };
                let Some((old, _)) = self.documents.remove(&p.text_document.uri) else {
                    return Vec::new();
                };
                let mut text = old.text;
                for change in p.content_changes {
                    match change.range {
                        // Ranged changes are not asked for, but a client may send them.
                        Some(range) => {
                            let index = LineIndex::new(&text);
                            let start = index.offset(&text, range.start);
                            let end = index.offset(&text, range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                let document = Document::new(old.uri, &old.language, text, p.text_document.version);
                self.check(document)
            }
            DidSaveTextDocument::METHOD => {
                // The file saved may be a configuration or a pack the others are checked
                // with: every open document is checked again, in fresh sessions.
                if extract::<DidSaveTextDocumentParams>(notification).is_err() {
                    return Vec::new();
                }
                self.sessions.forget();
                let documents: Vec<Document> =
                    self.documents.drain().map(|(_, (d, _))| d).collect();
                documents.into_iter().flat_map(|d| self.check(d)).collect()
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = extract::<DidCloseTextDocumentParams>(notification) else {
                    return Vec::new();
                };
                self.documents.remove(&p.text_document.uri);
                vec![publish(p.text_document.uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    /// A request answered.
    pub fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => {
                extract_request::<HoverParams>(request).map(|p| to_json(self.hover(&p)))
            }
            Completion::METHOD => {
                extract_request::<CompletionParams>(request).map(|p| to_json(self.complete(&p)))
            }
            CodeActionRequest::METHOD => {
                extract_request::<CodeActionParams>(request).map(|p| to_json(self.code_actions(&p)))
            }
            method => Err((
                ErrorCode::MethodNotFound,
                format!("formfit lsp does not handle {method}"),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn check(&mut self, document: Document) -> Vec<Message> {
        let analysis = analyse(&document, &mut self.sessions);
        let diagnostics = analysis
            .items
            .iter()
            .map(|item| diagnostic(&document, item))
            .collect();
        let message = publish(document.uri.clone(), diagnostics, Some(document.version));
        self.documents
            .insert(document.uri.clone(), (document, analysis));
        vec![message]
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let at = &p.text_document_position_params;
        let (document, analysis) = self.documents.get(&at.text_document.uri)?;
        let offset = document.index.offset(&document.text, at.position);
        let (text, span) = hover::hover(analysis, offset).or_else(|| match document.kind {
            Kind::Product(_) => hover::key_doc(document, &self.vocabulary, offset),
            _ => None,
        })?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text,
            }),
            range: Some(document.index.range(&document.text, &span)),
        })
    }

    fn complete(&mut self, p: &CompletionParams) -> Option<CompletionResponse> {
        let at = &p.text_document_position;
        let (document, analysis) = self.documents.get(&at.text_document.uri)?;
        if !matches!(document.kind, Kind::Product(_)) {
            return None;
        }
        let offset = document.index.offset(&document.text, at.position);
        let library = match analysis.session.as_ref() {
            Some(prepared) => &prepared.session.library,
            None => self
                .builtin
                .get_or_insert_with(|| Library::builtin(&PackCompiler::new()).0),
        };
        let items = completion::complete(document, offset, &self.vocabulary, library);
        Some(CompletionResponse::Array(items))
    }

    fn code_actions(&self, p: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let (document, analysis) = self.documents.get(&p.text_document.uri)?;
        let start = document.index.offset(&document.text, p.range.start);
        let end = document
            .index
            .offset(&document.text, p.range.end)
            .max(start);
        let fixes = actions::quick_fixes(document, analysis, &(start..end));
        Some(
            fixes
                .into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        )
    }
}

fn publish(uri: Url, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> Message {
    Notification::new(
        PublishDiagnostics::METHOD.to_owned(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
    .into()
}

fn extract<P: serde::de::DeserializeOwned>(notification: Notification) -> Result<P, ()> {
    serde_json::from_value(notification.params).map_err(|_| ())
}

fn extract_request<P: serde::de::DeserializeOwned>(
    request: Request,
) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("{}: {e}", request.method)))
}

fn to_json<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Diagnostic, Position};
    use serde_json::{json, Value};

    fn state() -> State {
        State::new(Spelling::default())
    }

    fn open(state: &mut State, uri: &Url, language: &str, text: &str) -> Vec<Diagnostic> {
        let replies = state.notification(Notification::new(
            DidOpenTextDocument::METHOD.to_owned(),
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        ));
        published(replies)
    }

    fn published(replies: Vec<Message>) -> Vec<Diagnostic> {
        let [Message::Notification(n)] = replies.as_slice() else {
            panic!("one notification: {replies:?}");
        };
        let p: PublishDiagnosticsParams = serde_json::from_value(n.params.clone()).unwrap();
        p.diagnostics
    }

    fn ask(state: &mut State, method: &str, params: Value) -> Value {
        let response = state.request(Request::new(1.into(), method.to_owned(), params));
        match response.response_result {
            Ok(value) => value,
            Err(e) => panic!("{method}: {e:?}"),
        }
    }

    fn at(uri: &Url, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
    }

    /// A file URI in a folder with no formfit.toml above it.
    fn uri(dir: &tempfile::TempDir, name: &str) -> Url {
        Url::from_file_path(dir.path().join(name)).unwrap()
    }

    const PRODUCT: &str =
        "ammunition = { name = \"Ø 5.56×45 mm\", caliber = \".223 Remington\" }\n\
        [product]\nid = \"NGA-1\"\nname = \"Rifle\"\nmanufacturer = \"Northgate\"\n\
        category = \"small-arm\"\nconforms_to = [\"STANAG 4172\"]\n";

    #[test]
    fn a_finding_is_published_at_its_utf16_range_and_hovered_with_its_verdict() {
        let dir = tempfile::tempdir().unwrap();
        let (mut state, uri) = (state(), uri(&dir, "p.toml"));
        let diagnostics = open(&mut state, &uri, "toml", PRODUCT);
        let [d] = diagnostics.as_slice() else {
            panic!("{diagnostics:?}")
        };
        // `Ø` and `×` are two bytes each and one UTF-16 unit.
        let line = PRODUCT.lines().next().unwrap();
        let start = line[..line.find("\".223").unwrap()].encode_utf16().count() as u32;
        assert_eq!(d.range.start, Position::new(0, start));
        assert_eq!(d.range.end, Position::new(0, start + 16));
        assert_eq!(d.severity, Some(lsp_types::DiagnosticSeverity::ERROR));
        assert_eq!(
            d.code,
            Some(lsp_types::NumberOrString::String("STANAG4172-CAL-1".into()))
        );
        let hover = ask(&mut state, HoverRequest::METHOD, at(&uri, 0, start + 2));
        let text = hover["contents"]["value"].as_str().unwrap();
        assert!(
            text.contains("**STANAG4172-CAL-1** — **failed (shall, failing)**"),
            "{text}"
        );
        assert!(text.contains(".223 Remington is a look-alike"), "{text}");
        // On a key: what the schema says of it; on a table header's bracket, nothing.
        let key = ask(&mut state, HoverRequest::METHOD, at(&uri, 5, 3));
        let text = key["contents"]["value"].as_str().unwrap();
        assert!(
            text.starts_with("**category** — Product category"),
            "{text}"
        );
        let nothing = ask(&mut state, HoverRequest::METHOD, at(&uri, 1, 0));
        assert_eq!(nothing, Value::Null);
    }

    #[test]
    fn a_conforming_calibre_is_hovered_as_passed() {
        let dir = tempfile::tempdir().unwrap();
        let (mut state, uri) = (state(), uri(&dir, "p.toml"));
        let good = PRODUCT.replace(".223 Remington", "5.56×45 mm NATO");
        assert!(open(&mut state, &uri, "toml", &good).is_empty());
        let line = good.lines().next().unwrap();
        let start = line[..line.find("\"5.56×45 mm NATO").unwrap()]
            .encode_utf16()
            .count() as u32;
        let hover = ask(&mut state, HoverRequest::METHOD, at(&uri, 0, start + 1));
        let text = hover["contents"]["value"].as_str().unwrap();
        assert!(text.contains("**STANAG4172-CAL-1** — **passed**"), "{text}");
    }

    #[test]
    fn completion_offers_designations_for_conforms_to_in_json() {
        let dir = tempfile::tempdir().unwrap();
        let (mut state, uri) = (state(), uri(&dir, "p.json"));
        let text = "{\"product\": {\"id\": \"A\", \"conforms_to\": [\"";
        open(&mut state, &uri, "json", text);
        let items = ask(&mut state, Completion::METHOD, at(&uri, 0, 42));
        let labels: Vec<&str> = items
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["label"].as_str())
            .collect();
        assert!(labels.contains(&"STANAG 4172"), "{labels:?}");
        assert!(labels.contains(&"MIL-STD-1275"), "{labels:?}");
        // Inside the quotes: the name alone is inserted.
        let first = &items[0]["textEdit"];
        assert_eq!(first["newText"], items[0]["label"]);
    }

    #[test]
    fn the_quick_fix_renames_a_misspelt_key_in_yaml() {
        let dir = tempfile::tempdir().unwrap();
        let (mut state, uri) = (state(), uri(&dir, "p.yaml"));
        let text = "product:\n  id: A\n  name: B\n  manufacturer: C\n  categry: radio\n";
        let diagnostics = open(&mut state, &uri, "yaml", text);
        let d = diagnostics
            .iter()
            .find(|d| d.message.contains("categry"))
            .unwrap();
        let actions = ask(
            &mut state,
            CodeActionRequest::METHOD,
            json!({"textDocument": {"uri": uri}, "range": d.range, "context": {"diagnostics": []}}),
        );
        let edit = &actions[0]["edit"]["changes"][uri.as_str()][0];
        assert_eq!(edit["newText"], "category");
        assert_eq!(
            edit["range"],
            json!({"start": {"line": 4, "character": 2}, "end": {"line": 4, "character": 9}})
        );
    }

    #[test]
    fn a_pack_in_a_rules_folder_gets_its_load_errors_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("rules")).unwrap();
        let (mut state, uri) = (state(), uri(&dir, "rules/local.toml"));
        let pack = "formfit_pack = 1\n[standard]\ndesignation = \"L\"\ntitle = \"L\"\n\
            edition = \"1\"\nsource = \"s\"\nnote = \"n\"\nclassification = \"PUBLIC\"\n\
            [[rule]]\nid = \"STANAG4172-CAL-1\"\nclause = \"1\"\nlevel = \"shall\"\n\
            path = \"product.id\"\nmessage = \"m\"\nrequired = true\n";
        let diagnostics = open(&mut state, &uri, "toml", pack);
        // The id is a built-in rule's: an error at the second use, as `--rules` says.
        let [d] = diagnostics.as_slice() else {
            panic!("{diagnostics:?}")
        };
        assert_eq!(d.range.start.line, 9, "{d:?}");
        assert!(d.message.contains("already used"), "{}", d.message);
        let fixed = pack.replace("STANAG4172-CAL-1", "LOCAL-1");
        let replies = state.notification(Notification::new(
            DidChangeTextDocument::METHOD.to_owned(),
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
        ));
        assert!(published(replies).is_empty());
    }

    #[test]
    fn an_unknown_request_and_bad_params_are_errors_not_panics() {
        let mut state = state();
        let r = state.request(Request::new(1.into(), "no/such".to_owned(), json!({})));
        assert_eq!(
            r.response_result.unwrap_err().code,
            ErrorCode::MethodNotFound as i32
        );
        let r = state.request(Request::new(
            2.into(),
            HoverRequest::METHOD.to_owned(),
            json!(7),
        ));
        assert_eq!(
            r.response_result.unwrap_err().code,
            ErrorCode::InvalidParams as i32
        );
        let unopened = Url::parse("file:///nowhere/x.toml").unwrap();
        assert_eq!(
            ask(&mut state, HoverRequest::METHOD, at(&unopened, 0, 0)),
            Value::Null
        );
    }

    /// Junk of every format, edited at random places and asked about everywhere: the
    /// handlers never panic (a panic fails the test).
    #[test]
    fn junk_documents_never_crash_a_handler() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = state();
        let pieces = [
            "[product]",
            "[[radio]]",
            "\n",
            "\r\n",
            " = ",
            "\"",
            "'",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "- ",
            "  ",
            "5.56×45 mm",
            "𝟓",
            "\u{feff}",
            "\\u{",
            "\0",
            "caliber",
            "calibre",
            "category",
            "product",
            "#",
            "&a",
            "*a",
            "bands",
            "225-400 MHz",
            "1e400",
            "=",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for (case, (name, language)) in [("j.toml", "toml"), ("j.json", "json"), ("j.yaml", "yaml")]
            .iter()
            .cycle()
            .take(60)
            .enumerate()
        {
            let text: String = (0..next(80)).map(|_| pieces[next(pieces.len())]).collect();
            let uri = uri(&dir, &format!("{case}{name}"));
            open(&mut state, &uri, language, &text);
            for _ in 0..5 {
                let (line, character) = (next(6) as u32, next(40) as u32);
                let position = json!({"line": line, "character": character});
                state.notification(Notification::new(
                    DidChangeTextDocument::METHOD.to_owned(),
                    json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
                        {"range": {"start": position, "end": {"line": line + 1, "character": 0}},
                         "text": pieces[next(pieces.len())]}]}),
                ));
                for method in [HoverRequest::METHOD, Completion::METHOD] {
                    state.request(Request::new(
                        1.into(),
                        method.to_owned(),
                        at(&uri, line, character),
                    ));
                }
                state.request(Request::new(
                    1.into(),
                    CodeActionRequest::METHOD.to_owned(),
                    json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                        "end": {"line": 99, "character": 0}}, "context": {"diagnostics": []}}),
                ));
            }
        }
    }
}
