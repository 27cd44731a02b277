// Storyline's pages: a little behaviour on top of server-rendered HTML, no framework, no build.
// Served from this server only; the CSP refuses any other script, inline ones included.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Source-vs-copy: following a reused sentence's link flashes its counterpart.
  for (const link of document.querySelectorAll("a.reuse-link")) {
    link.addEventListener("click", () => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      for (const old of document.querySelectorAll(".flash")) old.classList.remove("flash");
      target.classList.add("flash");
    });
  }
  // Lineage graph: hovering a report lights the edges that touch it.
  for (const node of document.querySelectorAll("svg.lineage g.node")) {
    const id = node.dataset.report;
    const touching = [...document.querySelectorAll("svg.lineage g.edge")].filter(
      (e) => e.dataset.from === id || e.dataset.to === id,
    );
    node.addEventListener("mouseenter", () => touching.forEach((e) => e.classList.add("lit")));
    node.addEventListener("mouseleave", () => touching.forEach((e) => e.classList.remove("lit")));
  }
  document.documentElement.dataset.scripted = "yes";
});
