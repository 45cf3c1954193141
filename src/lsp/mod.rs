//! `formfit lsp`: a language server over standard input and output for product files and
//! rule packs. A product is checked as `formfit check` checks it (the session of its nearest
//! `formfit.toml`, the same engine, findings and spans), a pack or profile is loaded as
//! `--rules` loads it; the findings are the editor's diagnostics, a hover on a value shows the
//! rules that judged it, completion offers the vocabulary's keys and the values the library
//! knows, and a did-you-mean is a quick-fix.
//!
//! The handlers ([`server::State`]) take messages and give messages; [`serve`] only moves them
//! between the transport and the state, and turns a handler's panic into an error reply, so
//! that no document, however broken, takes the server down.

mod actions;
mod analysis;
mod completion;
mod cursor;
mod diagnostics;
mod document;
mod hover;
mod position;
pub mod server;
mod vocabulary;

use std::panic::{catch_unwind, AssertUnwindSafe};

use lsp_server::{Connection, ErrorCode, Message, Response};

use crate::hint::Spelling;

/// Serves one client on standard input and output until it shuts the server down or
/// disconnects. `Err` says why the conversation broke off (a malformed message, a client gone
/// before `exit`).
pub fn serve_stdio(spelling: Spelling) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(&connection, spelling);
    drop(connection);
    let joined = io_threads.join().map_err(|e| e.to_string());
    served.and(joined)
}

/// Serves one client on a connection: the handshake, then every message until shutdown.
pub fn serve(connection: &Connection, spelling: Spelling) -> Result<(), String> {
    let initialize = serde_json::json!({
        "capabilities": server::capabilities(),
        "serverInfo": { "name": "formfit", "version": env!("CARGO_PKG_VERSION") },
    });
    let (id, _params) = connection.initialize_start().map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, initialize)
        .map_err(|e| e.to_string())?;
    let mut state = server::State::new(spelling);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                let id = request.id.clone();
                let method = request.method.clone();
                let response = catch_unwind(AssertUnwindSafe(|| state.request(request)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            format!("formfit failed on {method} (a bug: please report it with the document)"),
                        )
                    });
                send(connection, response.into())?;
            }
            Message::Notification(notification) => {
                let method = notification.method.clone();
                match catch_unwind(AssertUnwindSafe(|| state.notification(notification))) {
                    Ok(replies) => {
                        for reply in replies {
                            send(connection, reply)?;
                        }
                    }
                    Err(_) => eprintln!("formfit lsp: failed on {method} (a bug: please report it with the document)"),
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: Message) -> Result<(), String> {
    connection
        .sender
        .send(message)
        .map_err(|_| "the client closed the connection".to_owned())
}
