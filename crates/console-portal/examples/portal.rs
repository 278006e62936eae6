//! A portal's console endpoint: every account of one account file, every provider, one route,
//! through console-portal.
//!
//! ```text
//! cargo run -p console-portal --example portal -- accounts.toml 127.0.0.1:8080
//! curl 'http://127.0.0.1:8080/consoles/shop/i-bp1hzoinajzkh91h?windows=true'
//! ```
//!
//! `GET /consoles/{account}/{instance}` answers the console as JSON (viewer URL, websocket URL,
//! expiry, whether it works once); query parameters are the target's region and options
//! (`region`, `product`, `windows`, `password`, `api`, `direct`, `type`, ...). A mistake in the
//! request is a 400 naming the field; an instance that is missing or stopped, a 404 or 409; the
//! provider's failures, a 502. It listens on 127.0.0.1 unless told otherwise.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use console_core::error::ErrorKind;
use console_portal::{Config, Console, Portal, Target};

/// The routes, over `portal`.
pub(crate) fn router(portal: Arc<Portal>) -> Router {
    Router::new()
        .route("/consoles/{account}/{instance}", get(console))
        .with_state(portal)
}

async fn console(
    State(portal): State<Arc<Portal>>,
    Path((account, instance)): Path<(String, String)>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Json<Console>, (StatusCode, String)> {
    let mut target = Target::new(instance);
    for (name, value) in query {
        target = match name.as_str() {
            "region" => target.region(value),
            // A `password` (or any secret-named option) is kept as a secret.
            _ => target.option(name, value),
        };
    }
    match portal.console(&account, &target).await {
        Ok(console) => Ok(Json(console)),
        Err(e) => {
            let status = match e.kind() {
                ErrorKind::InvalidInput => StatusCode::BAD_REQUEST,
                ErrorKind::NotFound => StatusCode::NOT_FOUND,
                ErrorKind::InstanceState => StatusCode::CONFLICT,
                ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::BAD_GATEWAY,
            };
            // The library's errors carry no secret, whatever the provider echoed.
            Err((status, e.to_string()))
        }
    }
}

#[cfg_attr(test, allow(dead_code))]
#[allow(clippy::print_stderr)] // An example's one line of output.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("usage: portal ACCOUNTS.toml [ADDRESS]")?;
    let address = args.next().unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let portal = Portal::from_config(&Config::load(file.as_ref())?)?;
    let listener = tokio::net::TcpListener::bind(&address).await?;
    eprintln!(
        "serving {} accounts on http://{address}/consoles/{{account}}/{{instance}}",
        portal.names().count()
    );
    axum::serve(listener, router(Arc::new(portal))).await?;
    Ok(())
}
