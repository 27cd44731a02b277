//! The JSON API. Every body is built by [`crate::json`], the same functions behind the CLI's
//! `--format json`. Lists take `?limit=` (default 50, at most 500) and `?offset=`; the body is
//! the same array the CLI prints, the page's place in the whole is in the `X-Total-Count` and
//! `Link: <…>; rel="next"` headers. Reads need no token; `POST /api/reports` needs
//! `Authorization: Bearer <token>`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use storyline_model::{ReportId, StoryId};
use storyline_pipeline::SentenceMatch;
use storyline_store::Store;

use crate::AppState;
use crate::error::ApiError;
use crate::json;
use crate::views;

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// Stories whose reports' titles or text contain this.
    pub q: Option<String>,
    /// Quotes: this speaker's remarks with their wordings, instead of every attribution.
    pub speaker: Option<String>,
}

impl ListQuery {
    fn window(&self) -> Result<(usize, usize), ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        Ok((limit, self.offset.unwrap_or(0)))
    }
}

/// One page of `items` as the JSON array, with the total and the next page in headers.
fn paged(uri: &Uri, items: Vec<Value>, q: &ListQuery) -> Result<Response, ApiError> {
    let (limit, offset) = q.window()?;
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    Ok(page_response(uri, page, total, limit, offset))
}

/// A page already cut from a list of `total` items.
fn page_response(
    uri: &Uri,
    page: Vec<Value>,
    total: usize,
    limit: usize,
    offset: usize,
) -> Response {
    let mut res = Json(Value::Array(page)).into_response();
    let h = res.headers_mut();
    h.insert("x-total-count", HeaderValue::from(total));
    if offset + limit < total {
        let mut params: Vec<String> = uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("offset=") && !p.starts_with("limit="))
            .map(str::to_string)
            .collect();
        params.push(format!("limit={limit}"));
        params.push(format!("offset={}", offset + limit));
        let link = format!("<{}?{}>; rel=\"next\"", uri.path(), params.join("&"));
        if let Ok(v) = HeaderValue::from_str(&link) {
            h.insert(header::LINK, v);
        }
    }
    res
}

/// `Query`, with a malformed query answered as a JSON 400 like every other error.
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

pub fn story_id(id: &str) -> Result<StoryId, ApiError> {
    StoryId::parse(id)
        .ok_or_else(|| ApiError::not_found(format!("`{id}` is not a story id (S1, S2, …)")))
}

fn as_array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        other => vec![other],
    }
}

pub async fn stories(
    State(st): State<Arc<AppState>>,
    uri: Uri,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let (limit, offset) = q.window()?;
    let query = q.q.clone().filter(|s| !s.trim().is_empty());
    let (items, total) = st
        .read(move |store, _| {
            let ids = match &query {
                Some(text) => store.search_stories(text.trim())?,
                None => store.story_ids()?,
            };
            let mut page = Vec::new();
            for id in ids.iter().skip(offset).take(limit) {
                if let Some(s) = store.story(*id)? {
                    page.push(json::story_json(&s, None));
                }
            }
            Ok((page, ids.len()))
        })
        .await?;
    Ok(page_response(&uri, items, total, limit, offset))
}

/// `/api/threads`: threads of two stories or more, by their first story.
pub async fn threads(
    State(st): State<Arc<AppState>>,
    uri: Uri,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let (limit, offset) = q.window()?;
    let (items, total) = st
        .read(move |store, _| {
            let page = store.threads_after(StoryId(0), offset, limit)?;
            let total = store.thread_count()? as usize;
            Ok((page.iter().map(json::thread_json).collect(), total))
        })
        .await?;
    Ok(page_response(&uri, items, total, limit, offset))
}

/// `/api/threads/{id}`: a thread (`T5`, or any of its stories `S7`) with its stories.
pub async fn thread(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let sid = thread_or_story_id(&id)?;
    st.read(move |store, _| {
        let thread = store
            .thread_of(sid)?
            .filter(|t| !id.starts_with('T') || *t == sid)
            .ok_or_else(|| ApiError::not_found(format!("no thread or story {id}")))?;
        let mut stories = Vec::new();
        for s in store.thread_stories(thread)? {
            stories.extend(store.story(s)?.map(|s| json::story_json(&s, None)));
        }
        Ok(Json(
            json!({"id": json::thread_name(thread), "stories": stories}),
        ))
    })
    .await
}

/// `T5` names the thread whose first story is `S5`; a story id names its thread.
pub(crate) fn thread_or_story_id(id: &str) -> Result<StoryId, ApiError> {
    match json::parse_thread_name(id) {
        Some(t) => Ok(t),
        None => story_id(id).map_err(|_| {
            ApiError::bad_request(format!(
                "`{id}` is not a thread id (T1, T2, …) or a story id"
            ))
        }),
    }
}

pub async fn story(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let sid = story_id(&id)?;
    st.read(move |store, _| {
        let s = store
            .story(sid)?
            .ok_or_else(|| ApiError::not_found(format!("no story {sid}")))?;
        let others = store.thread_stories(s.thread)?;
        Ok(Json(json::story_page_json(&s, &others)))
    })
    .await
}

pub async fn lineage(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let sid = story_id(&id)?;
    st.read(move |store, _| {
        let s = store
            .story(sid)?
            .ok_or_else(|| ApiError::not_found(format!("no story {sid}")))?;
        Ok(Json(json::lineage_json(&s)))
    })
    .await
}

pub async fn brief(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let sid = story_id(&id)?;
    st.read(move |store, st| {
        let v = &st.story_views(store, sid)?.brief;
        Ok(Json(json::brief_json(
            &v.record,
            &v.sentences,
            &v.adds,
            &v.facts,
        )))
    })
    .await
}

pub async fn compare(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let sid = story_id(&id)?;
    st.read(move |store, st| {
        let v = &st.story_views(store, sid)?.compare;
        Ok(Json(json::compare_json(
            &v.story, &v.remarks, &v.facts, &v.across,
        )))
    })
    .await
}

pub async fn story_quotes(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: Uri,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let sid = story_id(&id)?;
    let speaker = q.speaker.clone();
    let items = st
        .read(move |store, _| {
            let found = views::story_reports(store, sid)?;
            Ok(quotes_items(found, speaker.as_deref()))
        })
        .await?;
    paged(&uri, items, &q)
}

fn quotes_items(
    found: Vec<(storyline_model::Report, StoryId)>,
    speaker: Option<&str>,
) -> Vec<Value> {
    as_array(match speaker {
        Some(name) => json::remarks_json(&views::remarks_by(&found, name)),
        None => json::quotes_json(&views::with_attributions(found)),
    })
}

pub async fn story_entities(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: Uri,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let sid = story_id(&id)?;
    let items = st
        .read(move |store, _| {
            let found = views::story_reports(store, sid)?;
            Ok(as_array(json::entities_json(&views::with_facts(found))))
        })
        .await?;
    paged(&uri, items, &q)
}

pub async fn report(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    st.read(move |store, _| {
        let (r, sid, _) = store
            .report(&ReportId(id.clone()))?
            .ok_or_else(|| ApiError::not_found(format!("no report `{id}`")))?;
        let s = store
            .story(sid)?
            .ok_or_else(|| ApiError::internal("the report's story is missing"))?;
        Ok(Json(json::report_json(&r, &s)))
    })
    .await
}

pub async fn report_quotes(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: Uri,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let speaker = q.speaker.clone();
    let items = st
        .read(move |store, _| {
            let found = views::reports_by_id(store, [ReportId(id)])?;
            Ok(quotes_items(found, speaker.as_deref()))
        })
        .await?;
    paged(&uri, items, &q)
}

pub async fn report_entities(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: Uri,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let items = st
        .read(move |store, _| {
            let found = views::reports_by_id(store, [ReportId(id)])?;
            Ok(as_array(json::entities_json(&views::with_facts(found))))
        })
        .await?;
    paged(&uri, items, &q)
}

fn matches_json(ms: &[SentenceMatch]) -> Value {
    Value::Array(
        ms.iter()
            .map(|m| {
                json!({"derived": m.derived, "source": m.source, "kind": m.kind.as_str(), "score": json::round3(m.score)})
            })
            .collect(),
    )
}

/// The sentence links of two reports, each way: `a_in_b[i]` says sentence `derived` of `a` was
/// found as sentence `source` of `b`, and how.
pub async fn pair(
    State(st): State<Arc<AppState>>,
    Path((a, b)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    st.read(move |store, _| {
        let (ra, rb) = (ReportId(a.clone()), ReportId(b.clone()));
        let (a_in_b, b_in_a) = store.pair_matches(&ra, &rb)?.ok_or_else(|| {
            ApiError::not_found(format!(
                "`{a}` and `{b}` were never aligned (not neighbours in one story)"
            ))
        })?;
        Ok(Json(json!({
            "a": a, "b": b,
            "a_in_b": matches_json(&a_in_b),
            "b_in_a": matches_json(&b_in_a),
        })))
    })
    .await
}

/// Whether the request carries the server's bearer token (compared in constant time).
fn authorised(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = st.token() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingestion and alerts over HTTP are off: start the server with --token or STORYLINE_TOKEN",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let (x, y) = (given.as_bytes(), token.as_bytes());
    let differs = x.len() != y.len() || x.iter().zip(y).fold(0u8, |acc, (p, q)| acc | (p ^ q)) != 0;
    if differs {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this request needs `Authorization: Bearer <token>` with the server's token",
        ));
    }
    Ok(())
}

/// The request body as JSON Lines: a JSON array of report objects, one object, or JSON Lines.
fn body_lines(body: &[u8]) -> Result<Vec<u8>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "empty body: send a report object, an array of them, or JSON Lines",
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                out.extend(item.to_string().into_bytes());
                out.push(b'\n');
            }
            Ok(out)
        }
        Ok(obj @ Value::Object(_)) => Ok(obj.to_string().into_bytes()),
        Ok(other) => Err(ApiError::bad_request(format!(
            "expected a report object or an array of them, found {other}"
        ))),
        // Not one JSON value: JSON Lines, read line by line.
        Err(_) => Ok(body.to_vec()),
    }
}

/// `POST /api/reports`: ingests the reports and answers where each landed. 200 when every
/// report was read; 422 when some failed (the body still says what landed and what failed).
pub async fn post_reports(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    authorised(&st, &headers)?;
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let lines = body_lines(&body)?;
    let summary = st.ingest(lines).await?;
    let status = if summary.failed == 0 {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(json::ingest_json(&summary))).into_response())
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct OutletQuery {
    since: Option<String>,
    until: Option<String>,
}

/// `/api/outlets`: every outlet's profile (top three flows each), most reports first.
pub async fn outlets(
    State(st): State<Arc<AppState>>,
    ApiQuery(q): ApiQuery<OutletQuery>,
) -> Result<Json<Value>, ApiError> {
    let range = crate::pages::date_range(q.since.as_deref(), q.until.as_deref())
        .map_err(ApiError::bad_request)?;
    st.read(move |store, _| {
        let rows = crate::views::outlet_profiles(store, range)?;
        Ok(Json(json!({
            "outlets": rows.iter().map(|p| json::outlet_json(p, false)).collect::<Vec<_>>(),
        })))
    })
    .await
}

/// `/api/outlets/{name}`: one outlet's whole profile (every flow, every week).
pub async fn outlet(
    State(st): State<Arc<AppState>>,
    Path(name): Path<String>,
    ApiQuery(q): ApiQuery<OutletQuery>,
) -> Result<Json<Value>, ApiError> {
    let range = crate::pages::date_range(q.since.as_deref(), q.until.as_deref())
        .map_err(ApiError::bad_request)?;
    st.read(move |store, _| {
        let p = crate::views::outlet_profile(store, &name, range)?
            .ok_or_else(|| ApiError::not_found(format!("no outlet {name}")))?;
        Ok(Json(json::outlet_json(&p, true)))
    })
    .await
}

/// `/api/stories/{id}/timeline`: the story's reports in time order with their edges.
pub async fn story_timeline(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let sid = story_id(&id)?;
    st.read(move |store, _| {
        let t = crate::views::timeline_of(store, sid, false)?;
        Ok(Json(json::timeline_json(&t)))
    })
    .await
}

/// `/api/threads/{id}/timeline`: the thread's reports in time order with their edges.
pub async fn thread_timeline(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let sid = thread_or_story_id(&id)?;
    st.read(move |store, _| {
        let t = crate::views::timeline_of(store, sid, true)?;
        Ok(Json(json::timeline_json(&t)))
    })
    .await
}

/// A subscription as the API lists it (with its secret: only token holders see it).
pub fn subscription_json(
    s: &storyline_store::Subscription,
    counts: storyline_store::OutboxCounts,
) -> Value {
    json!({
        "id": s.id,
        "kind": s.kind.as_str(),
        "target": s.target,
        "webhook": s.webhook_url,
        "secret": s.secret,
        "created": s.created,
        "feed": format!("/feeds/{}", s.id),
        "deliveries": {"pending": counts.pending, "delivered": counts.delivered, "failed": counts.failed},
    })
}

/// `GET /api/alerts` (token): every subscription.
pub async fn alerts(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    authorised(&st, &headers)?;
    st.write(|store| {
        let mut out = Vec::new();
        for s in store.subscriptions()? {
            let counts = store.outbox_counts(&s.id)?;
            out.push(subscription_json(&s, counts));
        }
        Ok(Json(json!({"subscriptions": out})))
    })
    .await
}

#[derive(Debug, serde::Deserialize)]
pub struct NewAlert {
    /// `story`, `thread`, `outlet` or `query`.
    kind: String,
    target: String,
    webhook: Option<String>,
}

/// `POST /api/alerts` (token): a new subscription, `{"kind", "target", "webhook"?}`.
pub async fn add_alert(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    // The token first: a caller without one learns nothing about the body's shape.
    authorised(&st, &headers)?;
    let n: NewAlert = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not a subscription (`{{\"kind\": \"story|thread|outlet|query\", \"target\": \"…\", \"webhook\": \"https://…\"}}`): {e}"
        ))
    })?;
    let kind = storyline_store::SubscriptionKind::parse(&n.kind).ok_or_else(|| {
        ApiError::bad_request(format!(
            "kind `{}` is not story, thread, outlet or query",
            n.kind
        ))
    })?;
    st.write(move |store| {
        let sub = crate::alerts::new_subscription(store, kind, &n.target, n.webhook.as_deref())
            .map_err(ApiError::bad_request)?;
        store.add_subscription(&sub)?;
        Ok((
            StatusCode::CREATED,
            Json(subscription_json(&sub, Default::default())),
        ))
    })
    .await
}

/// `DELETE /api/alerts/{id}` (token).
pub async fn remove_alert(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    authorised(&st, &headers)?;
    st.write(move |store| {
        if store.remove_subscription(&id)? {
            Ok(StatusCode::NO_CONTENT)
        } else {
            Err(ApiError::not_found(format!("no subscription {id}")))
        }
    })
    .await
}

/// `POST /api/alerts/{id}/test` (token): queues a test event for the subscription.
pub async fn test_alert(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    authorised(&st, &headers)?;
    st.write(move |store| {
        let sub = store
            .subscriptions()?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| ApiError::not_found(format!("no subscription {id}")))?;
        let e = crate::alerts::test_event(store, &sub)?;
        Ok(Json(
            json!({"event": e.id, "queued": sub.webhook_url.is_some()}),
        ))
    })
    .await
}

/// `/feeds/{id}`: a subscription's Atom feed (its id is the capability: long and random).
pub async fn feed(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let id = id.trim_end_matches(".atom").to_string();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("localhost")
        .to_string();
    let xml = st
        .write(move |store| {
            crate::alerts::make_events(store)?;
            let sub = store
                .subscriptions()?
                .into_iter()
                .find(|s| s.id == id)
                .ok_or_else(|| ApiError::not_found(format!("no feed {id}")))?;
            let events = store.alert_events(&sub.id, 100)?;
            Ok(crate::alerts::atom_feed(
                &sub,
                &events,
                &format!("http://{host}"),
            ))
        })
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}
