"""Builds a WARC (gzip per record, as Common Crawl writes them) from the L3S-GN1 pages with
warcio, a standard WARC tool, so the WARC reader is measured on files it did not write itself.
Each page becomes a request record and a `200 OK` text/html response record with the page's
bytes as payload; `--copies N` writes the set N times under different hosts (a bigger file for
the streaming check). Usage: warc_build.py DATA_DIR OUT.warc.gz [--copies N]"""

import argparse
import io
import pathlib

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--copies", type=int, default=1)
    args = ap.parse_args()
    pages = sorted(pathlib.Path(args.data, "extraction/l3s-gn1/input").glob("*.html"))
    if not pages:
        raise SystemExit(f"no L3S pages under {args.data}/extraction/l3s-gn1/input")
    records = 0
    with open(args.out, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(args.out, {"software": "warcio"}))
        for copy in range(args.copies):
            for page in pages:
                uri = f"https://l3s-{copy}.example/{page.stem}"
                host = f"l3s-{copy}.example"
                req = StatusAndHeaders(f"GET /{page.stem} HTTP/1.1", [("Host", host)], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", http_headers=req))
                body = page.read_bytes()
                headers = StatusAndHeaders(
                    "200 OK",
                    [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
                    protocol="HTTP/1.1",
                )
                writer.write_record(
                    writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
                )
                records += 1
    print(records)


if __name__ == "__main__":
    main()
