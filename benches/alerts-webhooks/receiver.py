"""A webhook receiver for benches/alerts-webhooks: verifies each delivery's Standard Webhooks
signature (HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with the subscription's
secret), refuses the first --refuse deliveries with HTTP 503, and logs every delivery it
accepts as a JSON line (id, subscription, signature valid, type)."""
import argparse, base64, hashlib, hmac, json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--secrets", required=True, help="JSON file: subscription id -> secret")
ap.add_argument("--refuse", type=int, default=0)
ap.add_argument("--log", required=True)
ap.add_argument("--delay-ms", type=int, default=0)
args = ap.parse_args()
secrets = json.load(open(args.secrets))
lock = threading.Lock()
seen = {"requests": 0}
log = open(args.log, "a", buffering=1)


def valid(headers, body: bytes, secret: str) -> bool:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    want = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers.get("webhook-signature", "").split() if s.startswith("v1,")]
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) < 300
    return fresh and any(hmac.compare_digest(want, g) for g in given)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with lock:
            seen["requests"] += 1
            n = seen["requests"]
        if n <= args.refuse:
            self.send_response(503)
            self.end_headers()
            return
        if args.delay_ms:
            time.sleep(args.delay_ms / 1000)
        payload = json.loads(body)
        sub = payload["data"]["subscription"]["id"]
        ok = valid(self.headers, body, secrets.get(sub, "whsec_"))
        log.write(json.dumps({"id": self.headers["webhook-id"], "subscription": sub,
                              "valid": ok, "type": payload["type"], "at": time.time()}) + "\n")
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *a):
        pass


ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
