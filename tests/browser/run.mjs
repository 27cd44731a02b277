// Browser tests of the pages `storyline serve` renders, in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core). Starts the server on a free loopback port over a
// temporary store, ingests the seeds and a hostile report through POST /api/reports, then
// checks the lineage graph, the cited brief, the source-vs-copy view and that the hostile report
// runs no script. Screenshots go to tests/browser/screenshots/ (not in git).
//
//   node tests/browser/run.mjs            (STORYLINE_BIN=path/to/storyline to pick a binary)

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const seeds = resolve(repo, "../shared/fixtures/seeds");
const shots = join(here, "screenshots");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

function binary() {
  if (process.env.STORYLINE_BIN) return process.env.STORYLINE_BIN;
  // The dev profile is what `cargo test` already built; this is a no-op after it.
  const build = spawnSync("cargo", ["build", "-q", "-p", "storyline-cli"], {
    cwd: repo,
    stdio: "inherit",
  });
  assert.equal(build.status, 0, "cargo build failed");
  return join(repo, "target/debug/storyline");
}

async function startServer(bin, db, token) {
  const child = spawn(bin, ["--db", db, "serve", "--addr", "127.0.0.1:0"], {
    env: { ...process.env, STORYLINE_TOKEN: token },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("the server did not start in 60 s")), 60_000);
    lines.once("line", (l) => {
      clearTimeout(timer);
      ok(l);
    });
    child.once("exit", (code) => fail(new Error(`the server exited with ${code}`)));
  });
  const m = /http:\/\/(\S+)/.exec(first);
  assert.ok(m, `no address in ${first}`);
  return { child, base: `http://${m[1]}` };
}

async function post(base, token, items) {
  const res = await fetch(`${base}/api/reports`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(items),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}\n     ${String(e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
  }
}

const XSS = {
  id: "xss_report",
  title: "Harbour strike <script>window.__xss = 'title'; alert('title')</script> ends",
  url: "javascript:window.__xss='url'",
  source: "Hostile <img src=x onerror=\"window.__xss='img'\">",
  text:
    "The harbour strike ended on Monday, the union said <script>window.__xss = 'body'; alert('body')</script> in a statement.\n" +
    "Read the statement <a href=\"javascript:window.__xss='link'\">here</a> or at javascript:window.__xss='bare', officials said.\n" +
    "<img src=x onerror=\"window.__xss='img'\"> Ships will sail again on Tuesday, the port authority said.",
};

async function main() {
  const bin = binary();
  const work = mkdtempSync(join(tmpdir(), "storyline-browser-"));
  const token = randomBytes(16).toString("hex");
  const { child, base } = await startServer(bin, join(work, "browser.db"), token);
  let context;
  try {
    const reports = readdirSync(seeds)
      .filter((f) => f.endsWith(".txt"))
      .sort()
      .map((f) => ({ id: f.replace(/\.txt$/, ""), text: readFileSync(join(seeds, f), "utf8") }));
    const landed = (await post(base, token, reports)).landed;
    const storyOf = Object.fromEntries(landed.map((l) => [l.report.slice(0, 3), l.story]));
    const xss = (await post(base, token, [XSS])).landed[0];
    const s2 = storyOf["004"];
    const id = (p) => reports.find((r) => r.id.startsWith(p)).id;

    mkdirSync(shots, { recursive: true });
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1300, height: 1000 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = context.pages()[0] || (await context.newPage());
    const dialogs = [];
    const offsite = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    page.on("request", (r) => {
      if (!r.url().startsWith(base)) offsite.push(r.url());
    });

    await check("story page: the lineage graph has the seeds' nodes, roles and edges", async () => {
      await page.goto(`${base}/stories/${s2}`);
      const nodes = await page.$$eval("svg.lineage g.node", (gs) =>
        gs.map((g) => [g.dataset.report, g.dataset.role]).sort(),
      );
      assert.deepEqual(nodes, [
        [id("002"), "derived"],
        [id("003"), "derived"],
        [id("004"), "original"],
      ]);
      const edges = await page.$$eval("svg.lineage g.edge", (gs) =>
        gs.map((g) => [g.dataset.from.slice(0, 3), g.dataset.to.slice(0, 3), g.dataset.kind]).sort(),
      );
      assert.deepEqual(edges, [
        ["004", "002", "summary"],
        ["004", "003", "rewrite"],
      ]);
      // Colours by role come from the stylesheet (the CSP let it apply).
      const fill = (r) =>
        page.$eval(`svg.lineage g.node[data-report="${r}"] rect`, (e) => getComputedStyle(e).fill);
      assert.notEqual(await fill(id("004")), await fill(id("002")));
      assert.equal(await fill(id("002")), await fill(id("003")));
      // Originals on the left.
      const x = (r) => page.$eval(`svg.lineage g.node[data-report="${r}"] rect`, (e) => e.getBBox().x);
      assert.ok((await x(id("004"))) < (await x(id("003"))));
      const label = await page.textContent(`svg.lineage g.edge[data-to="${id("003")}"] text`);
      assert.match(label, /^rewrite \d+%$/);
      await page.screenshot({ path: join(shots, "story.png"), fullPage: true });
    });

    await check("story page: graph nodes name outlet, date and headline; edge labels apart", async () => {
      await page.goto(`${base}/stories/${s2}`);
      const nodes = await page.$$eval("svg.lineage g.node", (gs) =>
        gs.map((g) => ({
          outlet: g.querySelector("text.node-outlet").textContent,
          title: g.querySelector("text.node-title").textContent,
          tip: g.querySelector("title").textContent,
        })),
      );
      for (const n of nodes) {
        // The seeds come without outlet or date: the node says so rather than show an id.
        assert.match(n.outlet, /·/, JSON.stringify(n));
        assert.ok(n.title.length > 10 && !/^\d{3}_/.test(n.title), JSON.stringify(n));
        assert.ok(n.tip.includes(" — "), JSON.stringify(n));
      }
      assert.ok(nodes.some((n) => n.title.startsWith("Trump administration")), JSON.stringify(nodes));
      // Two edges leave 004: their labels must not overlap.
      const boxes = await page.$$eval(`svg.lineage g.edge[data-from="${id("004")}"] text.edge-label`, (ts) =>
        ts.map((t) => {
          const b = t.getBBox();
          return [b.x, b.y, b.x + b.width, b.y + b.height];
        }),
      );
      assert.equal(boxes.length, 2);
      const [a, c] = boxes;
      const overlap = a[0] < c[2] && c[0] < a[2] && a[1] < c[3] && c[1] < a[3];
      assert.ok(!overlap, JSON.stringify(boxes));
      // Citations say whose report they cite.
      const tips = await page.$$eval("p.brief-sentence a.cite", (as) => as.map((a) => a.title));
      assert.ok(tips.length > 0 && tips.every((t) => t.includes(" — ")), tips.join(" | "));
    });

    await check("story list: one-report stories fold, sort by size, filter by outlet", async () => {
      await page.goto(`${base}/`);
      const shown = await page.$$eval("ol.stories li", (ls) => ls.map((l) => Number(l.dataset.reports)));
      assert.ok(shown.length >= 1 && shown.every((n) => n >= 2), JSON.stringify(shown));
      await page.click("a.singles");
      await page.waitForURL(/singles=show/);
      const all = await page.$$eval("ol.stories li", (ls) => ls.map((l) => l.dataset.story));
      assert.ok(all.includes(xss.story), JSON.stringify(all));
      await page.selectOption("select[name=sort]", "size");
      await page.click("form.search button");
      await page.waitForURL(/sort=size/);
      const sizes = await page.$$eval("ol.stories li", (ls) => ls.map((l) => Number(l.dataset.reports)));
      assert.deepEqual(sizes, [...sizes].sort((x, y) => y - x));
      // An outlet link filters the list to that outlet's stories.
      await page.click(`li[data-story="${xss.story}"] a.outlet`);
      await page.waitForURL(/outlet=/);
      const only = await page.$$eval("ol.stories li", (ls) => ls.map((l) => l.dataset.story));
      assert.deepEqual(only, [xss.story]);
      await page.screenshot({ path: join(shots, "list.png"), fullPage: true });
    });

    await check("story page: brief citations link to the cited sentence", async () => {
      await page.goto(`${base}/stories/${s2}`);
      const cites = await page.$$eval("p.brief-sentence a.cite", (as) => as.map((a) => a.getAttribute("href")));
      assert.ok(cites.length >= 4, `only ${cites.length} citations`);
      assert.ok(cites.every((h) => /^\/reports\/[^#]+#s\d+$/.test(h)), cites.join(" "));
      const sentence = (await page.textContent("p.brief-sentence")).trim();
      await page.click("p.brief-sentence a.cite");
      await page.waitForURL(/\/reports\/.+#s\d+$/);
      const target = await page.$eval(":target", (e) => e.textContent);
      // The cited sentence is the brief's sentence or its aligned counterpart: they share words.
      const words = (s) => new Set(s.toLowerCase().match(/[a-z]{5,}/g) || []);
      const shared = [...words(target)].filter((w) => words(sentence).has(w));
      assert.ok(shared.length >= 2, `"${target}" vs "${sentence}"`);
    });

    await check("source-vs-copy view of 004 and 003 marks and links reused sentences", async () => {
      await page.goto(`${base}/stories/${s2}`);
      await page.click(`svg.lineage g.edge[data-from="${id("004")}"][data-to="${id("003")}"] text.edge-label`);
      await page.waitForURL(/\/compare\?/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get("a"), id("004"));
      assert.equal(url.searchParams.get("b"), id("003"));
      assert.equal(await page.getAttribute("#side-a", "data-report"), id("004"));
      assert.equal(await page.getAttribute("#side-b", "data-report"), id("003"));
      const marks = await page.$$eval("#side-b mark.reuse", (ms) =>
        ms.map((m) => ({ id: m.id, kind: m.dataset.kind, other: m.dataset.counterpart, text: m.textContent })),
      );
      assert.ok(marks.length >= 3, JSON.stringify(marks));
      const m = marks[0];
      assert.ok(["verbatim", "near_verbatim", "paraphrase"].includes(m.kind));
      assert.match(m.other, /^a-s\d+$/);
      // The paraphrase mark looks different from a verbatim one.
      const look = await page.$eval(`#${m.id}`, (e) => {
        const s = getComputedStyle(e);
        return { bg: s.backgroundColor, border: s.borderBottomStyle };
      });
      if (m.kind === "paraphrase") assert.equal(look.border, "dotted");
      else assert.notEqual(look.bg, "rgba(0, 0, 0, 0)");
      await page.screenshot({ path: join(shots, "compare.png"), fullPage: true });
      // Following the link lands on the counterpart on the source side, which the script flashes.
      await page.click(`#${m.id}`);
      await page.waitForFunction((o) => location.hash === `#${o}`, m.other);
      const counterpart = await page.$eval(`#${m.other}`, (e) => ({
        side: e.closest("article").id,
        flashed: e.classList.contains("flash"),
        back: e.dataset.counterpart,
      }));
      assert.equal(counterpart.side, "side-a");
      assert.ok(counterpart.flashed, "app.js ran and flashed the counterpart");
      assert.match(counterpart.back, /^b-s\d+$/);
    });

    await check("a report with <script> and javascript: links renders as text and runs nothing", async () => {
      for (const path of [`/reports/${XSS.id}`, `/stories/${xss.story}`, `/?q=harbour`]) {
        await page.goto(`${base}${path}`);
        await page.waitForLoadState("load");
        assert.equal(await page.evaluate(() => window.__xss), undefined, `${path}: injected code ran`);
        assert.equal(await page.$$eval("a[href^='javascript:' i]", (a) => a.length), 0, path);
        assert.equal(await page.$$eval("main script, main img", (s) => s.length), 0, path);
      }
      await page.goto(`${base}/reports/${XSS.id}`);
      const text = await page.textContent("article.report-text");
      assert.ok(text.includes("<script>window.__xss"), "the script tag is shown as text");
      assert.ok(text.includes('<a href="javascript:'), "the link is shown as text");
      assert.equal(await page.textContent("dd code.unsafe-url"), XSS.url);
      assert.equal(await page.getAttribute("html", "data-scripted"), "yes", "our own script still runs");
      assert.deepEqual(dialogs, []);
      await page.screenshot({ path: join(shots, "xss-report.png"), fullPage: true });
    });

    await check("report page folds the dropped boilerplate, labelled by rule", async () => {
      await page.goto(`${base}/reports/${id("004")}`);
      const pieces = await page.$$eval("details.dropped-piece", (ds) =>
        ds.map((d) => ({ rule: d.dataset.rule, open: d.open, label: d.querySelector("summary .rule").textContent })),
      );
      assert.ok(pieces.length >= 1, "004 has dropped pieces");
      assert.ok(pieces.every((p) => !p.open && p.rule === p.label), JSON.stringify(pieces));
      assert.ok(pieces.some((p) => p.rule === "teaser"), JSON.stringify(pieces));
      const body = "details.dropped-piece[data-rule=teaser] > p";
      assert.equal(await page.isVisible(body), false, "folded");
      await page.click("details.dropped-piece[data-rule=teaser] summary");
      assert.equal(await page.isVisible(body), true, "unfolds on click");
      const article = await page.textContent("article.report-text");
      const teaser = await page.textContent(body);
      assert.ok(!article.includes(teaser.trim()), "the dropped text is not in the cleaned text");
      await page.screenshot({ path: join(shots, "report.png"), fullPage: true });
    });

    await check("story list: newest first, search over titles and text", async () => {
      await page.goto(`${base}/`);
      const ids = await page.$$eval("ol.stories li", (ls) => ls.map((l) => l.dataset.story));
      const nums = ids.map((s) => Number(s.slice(1)));
      assert.deepEqual(nums, [...nums].sort((a, b) => b - a));
      await page.fill("input[name=q]", "Rwanda");
      await Promise.all([page.waitForURL(/\?q=Rwanda/), page.press("input[name=q]", "Enter")]);
      const found = await page.$$eval("ol.stories li", (ls) => ls.map((l) => l.dataset.story));
      assert.deepEqual(found, [s2]);
      await page.screenshot({ path: join(shots, "list.png"), fullPage: true });
    });

    // The coverage pages, at a desktop and a phone width. At 390 px the page must not scroll
    // sideways (a table's own .table-wrap may) and the charts must fit the viewport.
    const storyApi = await (await fetch(`${base}/api/stories/${s2}`)).json();
    const thread = storyApi.thread;
    assert.match(String(thread), /^T\d+$/, JSON.stringify(storyApi).slice(0, 200));
    const pageFits = async () => {
      const m = await page.evaluate(() => ({
        vw: window.innerWidth,
        body: document.body.scrollWidth,
        doc: document.documentElement.scrollWidth,
      }));
      assert.ok(Math.max(m.body, m.doc) <= m.vw + 4, `the page scrolls sideways: ${JSON.stringify(m)}`);
    };
    const chartFits = async (sel) => {
      const vw = await page.evaluate(() => window.innerWidth);
      const box = await page.locator(sel).boundingBox();
      assert.ok(box, `${sel} is not shown`);
      assert.ok(box.width <= vw && box.x + box.width <= vw + 1, `${sel} is wider than ${vw} px: ${JSON.stringify(box)}`);
    };
    // A timeline keeps its labels readable on a phone: its box (`.chart`) fits the viewport
    // and scrolls sideways, the chart itself is not shrunk below 600 px (12 px labels at 10+).
    const timelineReadable = async () => {
      const vw = await page.evaluate(() => window.innerWidth);
      const wrap = await page.locator(".chart:has(svg.timeline)").boundingBox();
      assert.ok(wrap && wrap.x + wrap.width <= vw + 1, `the timeline's box is wider than ${vw} px: ${JSON.stringify(wrap)}`);
      const svg = await page.locator("svg.timeline").boundingBox();
      assert.ok(svg && svg.width >= Math.min(600, vw), `the timeline is shrunk to ${svg && svg.width} px`);
    };
    const timelinePoints = () =>
      page.$$eval("svg.timeline g.point", (gs) =>
        gs.map((g) => [g.dataset.report, g.dataset.role, g.dataset.first, g.dataset.timeSource]).sort(),
      );
    const wantPoints = [
      [id("002"), "derived", "false"],
      [id("003"), "derived", "false"],
      [id("004"), "original", "true"],
    ];
    const TIME_SOURCES = ["published", "first_seen", "none"];
    for (const w of [1280, 390]) {
      await page.setViewportSize({ width: w, height: w < 600 ? 844 : 1000 });

      await check(`outlets table (${w}px): seeds' outlets, shares, sorting by a column`, async () => {
        await page.goto(`${base}/`);
        await page.click("header.site a.nav");
        await page.waitForURL(/\/outlets$/);
        const rows = await page.$$eval("table.outlets tr[data-outlet]", (trs) => trs.map((t) => t.dataset.outlet));
        for (const o of ["Reuters", "CNN", "(unknown)"]) assert.ok(rows.includes(o), `${o} missing: ${rows}`);
        const cells = (o) =>
          page.$$eval(`table.outlets tr[data-outlet="${o}"] td`, (tds) => tds.map((t) => t.textContent.trim()));
        // Outlet, Reports, Original, Derived, Secondhand, Takes most from, Median lag.
        const cnn = await cells("CNN");
        assert.equal(cnn[2], "100%", JSON.stringify(cnn));
        assert.equal(cnn[3], "0%", JSON.stringify(cnn));
        const unknown = await cells("(unknown)");
        assert.equal(unknown[1], "3", JSON.stringify(unknown));
        assert.match(unknown[5], /CNN/, JSON.stringify(unknown));
        // Sorted by original share (unknown) comes last; by derived share it comes first.
        await page.click("table.outlets th a[href*='sort=original']");
        await page.waitForURL(/sort=original/);
        const byOriginal = await page.$$eval("table.outlets tr[data-outlet]", (trs) => trs.map((t) => t.dataset.outlet));
        assert.equal(byOriginal.at(-1), "(unknown)", JSON.stringify(byOriginal));
        await page.click("table.outlets th a:text-is('Derived')");
        await page.waitForURL(/sort=derived/);
        const byDerived = await page.$$eval("table.outlets tr[data-outlet]", (trs) => trs.map((t) => t.dataset.outlet));
        assert.equal(byDerived[0], "(unknown)", JSON.stringify(byDerived));
        assert.equal(await page.getAttribute("table.outlets th a[href*='sort=derived']", "aria-sort"), "descending");
        await page.screenshot({ path: join(shots, `outlets-${w}.png`), fullPage: true });
        await pageFits();
      });

      await check(`outlet page (${w}px): CNN's weekly chart and who takes from it`, async () => {
        await page.goto(`${base}/outlets`);
        await page.click(`table.outlets tr[data-outlet="CNN"] td:first-child a`);
        await page.waitForURL(/\/outlets\/CNN$/);
        assert.equal((await page.textContent("main h1")).trim(), "CNN");
        const weeks = await page.$$eval("svg.weeks g.week", (gs) => gs.map((g) => [g.dataset.week, g.dataset.reports]));
        assert.ok(weeks.length >= 1, "no week in the chart");
        assert.ok(weeks.every(([wk, n]) => /^\d{4}-W\d{2}$/.test(wk) && Number(n) >= 1), JSON.stringify(weeks));
        assert.ok((await page.$$("svg.weeks rect[data-role='original']")).length >= 1, "no original bar");
        const flows = await page.$$eval("main h2", (hs) =>
          Object.fromEntries(
            hs.map((h) => {
              const next = h.nextElementSibling;
              const names = next && next.matches("table.flows")
                ? [...next.querySelectorAll("tbody tr td:first-child")].map((td) => td.textContent.trim())
                : null;
              return [h.textContent.trim(), names];
            }),
          ),
        );
        assert.ok(flows["Taken by"] && flows["Taken by"].includes("(unknown)"), JSON.stringify(flows));
        await page.screenshot({ path: join(shots, `outlet-cnn-${w}.png`), fullPage: true });
        await page.locator("div.chart").screenshot({ path: join(shots, `outlet-cnn-chart-${w}.png`) });
        await chartFits("svg.weeks");
        await pageFits();
      });

      await check(`story timeline (${w}px): lanes, points, the first report and lineage edges`, async () => {
        await page.goto(`${base}/stories/${s2}`);
        const points = await timelinePoints();
        assert.deepEqual(
          points.map((p) => p.slice(0, 3)),
          wantPoints,
        );
        assert.ok(points.every((p) => TIME_SOURCES.includes(p[3])), JSON.stringify(points));
        const firsts = await page.$$eval("svg.timeline g.point[data-first='true']", (gs) => gs.map((g) => g.dataset.report));
        assert.deepEqual(firsts, [id("004")]);
        const edges = await page.$$eval("svg.timeline g.tl-edge", (gs) =>
          gs.map((g) => [g.dataset.from, g.dataset.to, g.dataset.kind]).sort(),
        );
        assert.equal(edges.length, 2, JSON.stringify(edges));
        assert.ok(edges.every((e) => e[0] === id("004")), JSON.stringify(edges));
        assert.deepEqual(edges.map((e) => e[1]), [id("002"), id("003")]);
        const lanes = await page.$$eval("svg.timeline g.lane", (gs) => gs.map((g) => g.dataset.outlet));
        assert.ok(lanes.includes("CNN") && lanes.includes("(unknown)"), JSON.stringify(lanes));
        // Each point sits on its outlet's lane: 004 on CNN's, 002 and 003 on (unknown)'s.
        const laneOf = await page.$$eval("svg.timeline", ([svg]) => {
          const ys = Object.fromEntries(
            [...svg.querySelectorAll("g.lane")].map((g) => [g.querySelector("line").getAttribute("y1"), g.dataset.outlet]),
          );
          return Object.fromEntries(
            [...svg.querySelectorAll("g.point")].map((g) => [
              g.dataset.report.slice(0, 3),
              ys[g.querySelector("circle:last-of-type").getAttribute("cy")],
            ]),
          );
        });
        assert.deepEqual(laneOf, { "002": "(unknown)", "003": "(unknown)", "004": "CNN" });
        // Only the chart is held to the viewport here: the rest of the story page (lineage graph,
        // tables) has its own layout.
        await page.screenshot({ path: join(shots, `story-timeline-${w}.png`), fullPage: true });
        await page.locator("section#timeline").screenshot({ path: join(shots, `story-timeline-chart-${w}.png`) });
        await timelineReadable();
      });

      await check(`thread timeline (${w}px): the story's thread page, same points, links back`, async () => {
        await page.goto(`${base}/stories/${s2}`);
        await page.click("section#timeline a[href^='/threads/']");
        await page.waitForURL(new RegExp(`/threads/${thread}$`));
        const points = await timelinePoints();
        assert.deepEqual(
          points.map((p) => p.slice(0, 3)),
          wantPoints,
        );
        const edges = await page.$$eval("svg.timeline g.tl-edge", (gs) => gs.map((g) => g.dataset.from));
        assert.deepEqual(edges, [id("004"), id("004")]);
        const stories = await page.$$eval("ol.stories li a.story-title", (as) => as.map((a) => a.getAttribute("href")));
        assert.ok(stories.includes(`/stories/${s2}`), JSON.stringify(stories));
        await page.screenshot({ path: join(shots, `thread-${w}.png`), fullPage: true });
        await page.locator("div.chart").screenshot({ path: join(shots, `thread-chart-${w}.png`) });
        await timelineReadable();
        await pageFits();
        await page.click(`ol.stories li a.story-title[href="/stories/${s2}"]`);
        await page.waitForURL(new RegExp(`/stories/${s2}$`));
        assert.equal(await page.$$eval("section#timeline svg.timeline g.point", (gs) => gs.length), 3);
      });
    }
    await page.setViewportSize({ width: 1300, height: 1000 });

    await check("nothing was fetched from outside the server", async () => {
      assert.deepEqual(offsite, []);
    });
  } finally {
    if (context) await context.close();
    child.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter(([, ok]) => !ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
