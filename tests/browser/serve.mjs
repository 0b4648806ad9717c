// Real-browser test of `servicefit serve` (headless Chromium through
// chromium-driver's WebDriver, no npm package but axe-core):
//   1. a candidate opens an invitation link on a phone-sized window, consents,
//      answers two pages, the server is killed with SIGKILL and restarted, the
//      same link resumes at page 3, and the candidate submits;
//   2. the assessor logs in and finds the candidate ranked on the shortlist;
//   3. axe-core, injected into each page type, reports no violation of any impact.
// Screenshots go to docs/. Usage: node serve.mjs BIN AXE_JS DOCS_DIR
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [bin, axePath, docs] = process.argv.slice(2);
const axeSource = readFileSync(axePath, "utf8");
const work = mkdtempSync(join(tmpdir(), "sf-browser-"));
const db = join(work, "serve.db");
const port = 18080 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const driverPort = port + 1000;
let passed = 0, failed = 0;
const check = (what, ok, detail = "") => {
  if (ok) passed++; else { failed++; console.error(`FAILED: ${what} ${detail}`); }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(url, tries = 100) {
  for (let i = 0; i < tries; i++) {
    try { await fetch(url); return; } catch { await sleep(100); }
  }
  throw new Error(`nothing answers at ${url}`);
}

function startServer() {
  const server = spawn(bin, ["serve", "--db", db, "--listen", `127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "inherit"] });
  return server;
}

// WebDriver over HTTP.
let session;
async function wd(method, path, body) {
  const res = await fetch(`http://127.0.0.1:${driverPort}/session${session ? `/${session}` : ""}${path}`, {
    method, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (json.value && json.value.error) throw new Error(`${path}: ${json.value.message}`);
  return json.value;
}
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const go = (url) => wd("POST", "/url", { url });
const url = () => wd("GET", "/url");
const find = async (css) => { const v = await wd("POST", "/element", { using: "css selector", value: css }); if (!v || !v[ELEMENT]) throw new Error(`find ${css}: ${JSON.stringify(v)}`); return v[ELEMENT]; };
const findAll = async (css) => (await wd("POST", "/elements", { using: "css selector", value: css })).map((e) => e[ELEMENT]);
const click = (id) => wd("POST", `/element/${id}/click`, {});
const type = (id, text) => wd("POST", `/element/${id}/value`, { text });
const source = () => wd("GET", "/source");
const screenshot = async (file) => writeFileSync(file, Buffer.from(await wd("GET", "/screenshot"), "base64"));

async function newSession(args, mobileEmulation) {
  session = undefined;
  const created = await wd("POST", "", {
    capabilities: { alwaysMatch: { browserName: "chrome", "goog:chromeOptions": {
      binary: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", ...args],
      ...(mobileEmulation ? { mobileEmulation } : {}),
    } } },
  });
  session = created.sessionId;
}

async function axe(page) {
  await wd("POST", "/execute/sync", { script: `${axeSource}; return true;`, args: [] });
  const violations = await wd("POST", "/execute/async", {
    script: "const done = arguments[arguments.length - 1];" +
      "axe.run(document).then(r => done(r.violations.map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0,2).map(n=>n.target.join(' ')).join('; ')}`)))" +
      ".catch(e => done(['axe failed: ' + e]));",
    args: [],
  });
  check(`axe: no violation on the ${page} page`, violations.length === 0, "\n  " + violations.join("\n  "));
}

async function answerPage(offset) {
  const groups = await findAll("fieldset.statement");
  for (let i = 0; i < groups.length; i++) {
    const labels = (await wd("POST", `/element/${groups[i]}/elements`, { using: "css selector", value: "label" })).map((e) => e[ELEMENT]);
    await click(labels[(i * 3 + offset) % labels.length]);
  }
  await submit();
}

// Clicks the form's button and waits for the next page (post, 303, get).
async function submit() {
  const before = await url();
  await click(await find("main form button[type=submit]"));
  for (let i = 0; i < 100 && (await url()) === before; i++) await sleep(50);
  for (let i = 0; i < 100; i++) {
    if ((await wd("POST", "/execute/sync", { script: "return document.readyState", args: [] })) === "complete") break;
    await sleep(50);
  }
}

const run = async () => {
  execFileSync(bin, ["user", "add", "--db", db, "alice"], { input: "browser-test-password\n" });
  const invited = execFileSync(bin, ["invite", "--db", db, "--role", "retail", "--base-url", base, "phone-candidate"]).toString();
  const link = invited.trim().split("\t")[1];
  let server = startServer();
  await waitFor(`${base}/login`);
  const driver = spawn("chromedriver", [`--port=${driverPort}`], { stdio: "ignore" });
  try {
    await waitFor(`http://127.0.0.1:${driverPort}/status`);
    await newSession(["--window-size=390,844"], { deviceMetrics: { width: 390, height: 844, pixelRatio: 2 } });
    // Candidate, phone-sized.
    await go(link);
    await axe("welcome");
    await screenshot(join(docs, "serve-welcome-phone.png"));
    await click(await find("#consent"));
    await submit();
    check("consent leads to page 1", (await url()).endsWith("/p/1"), await url());
    await axe("question");
    await screenshot(join(docs, "serve-candidate-phone.png"));
    await answerPage(0);
    await answerPage(1);
    check("two pages saved: page 3", (await url()).endsWith("/p/3"), await url());
    // kill -9 between pages, restart, same link.
    server.kill("SIGKILL");
    await new Promise((r) => server.on("exit", r));
    server = startServer();
    await waitFor(`${base}/login`);
    await go(link);
    check("after kill -9 the link resumes at page 3", (await url()).endsWith("/p/3"), await url());
    for (let page = 3; !(await url()).endsWith("/done") && page < 40; page++) await answerPage(page);
    check("the candidate reaches the done page", (await url()).endsWith("/done"), await url());
    check("the done page has no form", !(await source()).includes("<form"));
    await axe("done");
    await go(link);
    check("the used link says it was submitted", (await source()).includes("submitted already"));
    // Assessor, in a desktop-sized window of a new session (no cookies).
    await wd("DELETE", "");
    await newSession(["--window-size=1100,1400"], undefined);
    await go(`${base}/campaigns`);
    check("no session: the login page", (await url()).endsWith("/login"), await url());
    await axe("login");
    await type(await find("#name"), "alice");
    await type(await find("#password"), "browser-test-password");
    await submit();
    check("logged in: campaigns", (await url()).endsWith("/campaigns"), await url());
    await axe("campaigns");
    await click(await find("main table a"));
    await axe("campaign");
    check("progress shows the submission", (await source()).includes("1 invited, 1 started, 1 submitted."));
    await click(await find("main .actions a"));
    const shortlist = await source();
    check("the shortlist ranks the candidate", shortlist.includes("phone-candidate"));
    await axe("shortlist");
    await screenshot(join(docs, "serve-shortlist.png"));
    await click(await find("a[href^='candidates/']"));
    check("the candidate report opens", (await source()).includes("phone-candidate"));
    await axe("candidate report");
  } finally {
    // A failure must not leave Chromium running: close the session first.
    if (session) await wd("DELETE", "").catch(() => {});
    driver.kill();
    server.kill();
  }
  console.log(`serve browser: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
};
run().catch((e) => { console.error(e); process.exit(1); });
