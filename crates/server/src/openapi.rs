//! `GET /openapi.json`: the API described in OpenAPI 3.1, written by hand next to the routes it
//! describes (a test walks every documented path on a live server and checks the router
//! answers it, so the two cannot drift apart silently). The response shapes are those of the
//! README's JSON section; the schemas here name their fields.

use axum::Json;
use serde_json::{Value, json};

use crate::api::{DEFAULT_LIMIT, MAX_LIMIT};

fn list_params() -> Value {
    json!([
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}, "description": "Items per page."},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}, "description": "Items to skip."}
    ])
}

fn paged(description: &str, item: &str) -> Value {
    json!({
        "description": format!("{description} The body is one page; `X-Total-Count` gives the total and `Link: <…>; rel=\"next\"` the next page."),
        "headers": {
            "X-Total-Count": {"schema": {"type": "integer"}},
            "Link": {"schema": {"type": "string"}}
        },
        "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}}}
    })
}

fn one(description: &str, schema: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}
    })
}

fn errors() -> Value {
    json!({
        "400": {"$ref": "#/components/responses/Error"},
        "404": {"$ref": "#/components/responses/Error"},
        "500": {"$ref": "#/components/responses/Error"}
    })
}

fn get(summary: &str, params: Value, ok: Value) -> Value {
    let mut responses = errors();
    responses["200"] = ok;
    json!({"get": {"summary": summary, "parameters": params, "responses": responses}})
}

fn story_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[Ss][0-9]+$"}, "description": "Story id: S1, S2, …"})
}

fn report_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Report id."})
}

fn with(mut a: Value, extra: Value) -> Value {
    if let (Some(a), Some(b)) = (a.as_array_mut(), extra.as_array()) {
        a.extend(b.iter().cloned());
    }
    a
}

fn obj(props: &[&str]) -> Value {
    let mut p = serde_json::Map::new();
    for name in props {
        p.insert((*name).to_string(), json!({}));
    }
    json!({"type": "object", "properties": p})
}

fn ingest_op() -> Value {
    json!({
        "summary": "Ingest reports: one JSON object, an array of them, or JSON Lines (`id`, `url`, `title`, `text` or `html`, `published`, `source`; unknown fields are kept). Answers where each landed.",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {
            "application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/ReportIn"},
                {"type": "array", "items": {"$ref": "#/components/schemas/ReportIn"}}
            ]}},
            "application/x-ndjson": {"schema": {"type": "string"}}
        }},
        "responses": {
            "200": one("Every report was read (new or duplicate).", "IngestSummary"),
            "422": one("Some reports failed; the body lists the errors and what landed.", "IngestSummary"),
            "400": {"$ref": "#/components/responses/Error"},
            "401": {"$ref": "#/components/responses/Error"},
            "403": {"$ref": "#/components/responses/Error"},
            "413": {"description": "Body over 32 MiB."}
        }
    })
}

fn range_params() -> Value {
    json!([
        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "First day counted (reports timed by publication, else first seen)."},
        {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Last day counted."}
    ])
}

/// The answers of a token-protected operation.
fn token_responses(ok: Value) -> Value {
    let mut r = errors();
    r["200"] = ok;
    r["401"] = json!({"$ref": "#/components/responses/Error"});
    r["403"] = json!({"$ref": "#/components/responses/Error"});
    r
}

/// The OpenAPI document.
pub fn spec() -> Value {
    let speaker = json!([{"name": "speaker", "in": "query", "schema": {"type": "string"}, "description": "Only this speaker's remarks, each with its wordings and drift (then items are Remark)."}]);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Storyline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "News reports grouped into stories, with lineage (who copied whom), quotes, entities, figures, comparisons and cited briefs. Reads need no token; POST, DELETE and the alerts need `Authorization: Bearer <token>`. The JSON is the same the `storyline` CLI prints with `--format json`."
        },
        "paths": {
            "/api/stories": get("Stories, in creation order.", with(list_params(), json!([{"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Only stories with a report whose title or text contains this."}])), paged("Stories.", "Story")),
            "/api/threads": get("Threads of two stories or more (developing stories), by their first story.", list_params(), paged("Threads.", "Thread")),
            "/api/threads/{id}": get("A thread (T5) or the thread of a story (S7), with its stories.", json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]), one("The thread.", "ThreadStories")),
            "/api/stories/{id}": get("A story with its reports, roles and lineage.", json!([story_param()]), one("The story.", "Story")),
            "/api/stories/{id}/lineage": get("A story's lineage graph: its reports (nodes) and edges.", json!([story_param()]), one("The graph.", "Lineage")),
            "/api/stories/{id}/brief": get("A 4–8 sentence cited brief, what each report adds, open conflicts.", json!([story_param()]), one("The brief.", "Brief")),
            "/api/stories/{id}/compare": get("Quotes with drift, figures (conflicts, unique, missing), entities and dated facts across the story's reports.", json!([story_param()]), one("The comparison.", "Comparison")),
            "/api/stories/{id}/quotes": get("Quotes and reported claims in the story's reports.", with(with(json!([story_param()]), list_params()), speaker.clone()), paged("Attributions.", "Quote")),
            "/api/stories/{id}/entities": get("People, organisations, places, figures and dates in the story's reports.", with(json!([story_param()]), list_params()), paged("Entities.", "Entity")),
            "/api/reports": {"post": ingest_op()},
            "/reports": {"post": ingest_op()},
            "/api/reports/{id}": get("A report: metadata, role, lineage edges, cleaned text, dropped pieces.", json!([report_param()]), one("The report.", "Report")),
            "/api/reports/{id}/quotes": get("Quotes and reported claims in one report.", with(with(json!([report_param()]), list_params()), speaker), paged("Attributions.", "Quote")),
            "/api/reports/{id}/entities": get("Entities, figures and dates in one report.", with(json!([report_param()]), list_params()), paged("Entities.", "Entity")),
            "/api/pairs/{a}/{b}": get("The sentence links of two aligned reports of one story, each way.", json!([
                {"name": "a", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}}
            ]), one("The links.", "Pair")),
            "/api/stories/{id}/timeline": get("The story's coverage timeline: its reports in time order (publication time, else first seen), outlets, the first marked, lineage edges.", json!([story_param()]), one("The timeline.", "Timeline")),
            "/api/threads/{id}/timeline": get("A thread's coverage timeline, over all its stories.", json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]), one("The timeline.", "Timeline")),
            "/api/outlets": get("Outlet profiles: shares of original, derived and secondhand reports, whom each takes from, median lag.", range_params(), one("The outlets.", "Outlets")),
            "/api/outlets/{name}": get("One outlet's whole profile, with its weeks.", with(json!([{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}]), range_params()), one("The outlet.", "Outlet")),
            "/api/alerts": {
                "get": {"summary": "The subscriptions, with their secrets and delivery counts.", "security": [{"bearer": []}], "responses": token_responses(one("The subscriptions.", "Subscriptions"))},
                "post": {"summary": "A new subscription: `{kind: story|thread|outlet|query, target, webhook?}`.", "security": [{"bearer": []}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": obj(&["kind", "target", "webhook"])}}},
                    "responses": token_responses(json!({"description": "Made (201).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Subscription"}}}}))}
            },
            "/api/alerts/{id}": {"delete": {"summary": "Removes a subscription with its events and deliveries.", "security": [{"bearer": []}], "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": token_responses(json!({"description": "Removed (204)."}))}},
            "/api/alerts/{id}/test": {"post": {"summary": "Queues a test event for a subscription.", "security": [{"bearer": []}], "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": token_responses(one("The event.", "TestEvent"))}},
            "/openapi.json": {"get": {"summary": "This document.", "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {}}}}}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "The token given to `storyline serve --token` or `STORYLINE_TOKEN`."}},
            "responses": {"Error": {"description": "What went wrong.", "content": {"application/json": {"schema": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}}}}},
            "schemas": {
                "ReportIn": {"type": "object", "properties": {
                    "id": {"type": "string"}, "url": {"type": "string"}, "title": {"type": "string"},
                    "text": {"type": "string"}, "html": {"type": "string"}, "published": {"type": "string"}, "source": {"type": "string"}
                }, "additionalProperties": true},
                "Edge": {"type": "object", "properties": {
                    "from": {"type": "string"}, "to": {"type": "string"},
                    "kind": {"enum": ["copy", "rewrite", "summary", "related"]},
                    "reuse": {"type": "number"}, "verbatim": {"type": "number"},
                    "evidence": {"type": "array", "items": {"type": "string"}}
                }},
                "ReportSummary": {"type": "object", "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"},
                    "role": {"enum": ["original", "derived", "secondhand"]},
                    "evidence": {"type": "array", "items": {"type": "string"}},
                    "source": {"type": ["string", "null"]}, "url": {"type": ["string", "null"]}, "published": {"type": ["string", "null"]}
                }},
                "Thread": {"type": "object", "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"},
                    "stories": {"type": "integer"}, "reports": {"type": "integer"}
                }},
                "ThreadStories": {"type": "object", "properties": {
                    "id": {"type": "string"},
                    "stories": {"type": "array", "items": {"$ref": "#/components/schemas/Story"}}
                }},
                "Story": {"type": "object", "properties": {
                    "id": {"type": "string"}, "title": {"type": "string"}, "thread": {"type": "string"},
                    "thread_stories": {"type": "array", "items": {"type": "string"}, "description": "Only on /api/stories/{id}: the other stories of its thread."},
                    "reports": {"type": "array", "items": {"$ref": "#/components/schemas/ReportSummary"}},
                    "originals": {"type": "array", "items": {"type": "string"}},
                    "lineage": {"type": "array", "items": {"$ref": "#/components/schemas/Edge"}}
                }},
                "Lineage": {"type": "object", "properties": {
                    "story": {"type": "string"},
                    "reports": {"type": "array", "items": {"$ref": "#/components/schemas/ReportSummary"}},
                    "lineage": {"type": "array", "items": {"$ref": "#/components/schemas/Edge"}}
                }},
                "Report": obj(&["id", "story", "title", "url", "source", "published", "updated", "byline", "language", "origin", "role", "evidence", "lineage", "extra", "dropped", "text"]),
                "Brief": obj(&["story", "title", "sentences", "adds", "conflicts"]),
                "Comparison": obj(&["story", "quotes", "figures", "unique", "missing", "entities", "unique_dated"]),
                "Quote": obj(&["report", "story", "speaker", "mention", "cue", "text", "direct", "partial", "start", "end"]),
                "Entity": obj(&["report", "story", "name", "kind", "mentions"]),
                "IngestSummary": obj(&["read", "new", "duplicates", "failed", "errors", "landed"]),
                "Pair": obj(&["a", "b", "a_in_b", "b_in_a"]),
                "Timeline": obj(&["start", "end", "points", "edges"]),
                "Outlet": obj(&["outlet", "known", "reports", "original", "derived", "copies", "rewrites", "summaries", "secondhand", "original_share", "derived_share", "secondhand_share", "takes_from", "taken_by", "median_lag_hours", "lag_pairs", "first_seen_timed", "first", "last", "weeks"]),
                "Outlets": {"type": "object", "properties": {"outlets": {"type": "array", "items": {"$ref": "#/components/schemas/Outlet"}}}},
                "Subscription": obj(&["id", "kind", "target", "webhook", "secret", "created", "feed", "deliveries"]),
                "Subscriptions": {"type": "object", "properties": {"subscriptions": {"type": "array", "items": {"$ref": "#/components/schemas/Subscription"}}}},
                "TestEvent": obj(&["event", "queued"])
            }
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}
