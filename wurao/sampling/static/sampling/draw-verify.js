/*
 * draw-verify.js: an independent browser verifier for random draws, spec "wurao-draw-v1"
 * (docs/random-draw-v1.md).
 *
 * Written from the spec alone, separately from the server's Python engine, so that the two
 * implementations check each other. No dependencies, no build step: WebCrypto (SHA-256, HMAC-SHA256,
 * AES-256-CTR) and BigInt only. Treats the bundle as untrusted input: nothing from it goes
 * into innerHTML, and every value is type-checked before use.
 *
 * Exports
 *   verifyBundle(bundle, {onProgress})  -> Promise<{ok, checks: [{field, department?, ok, expected,
 *                                          found, message_zh, message_en}]}>
 *       bundle: the parsed JSON object (a JSON string also works).
 *       onProgress({stage, done, total, message_zh, message_en}) is called as work progresses.
 *   verifyBundleFromFile(file, {onProgress}) -> same, from a File/Blob (e.g. <input type=file>)
 *   renderChecks(container, result)      -> renders the list of checks, Chinese first
 *   _internals                           -> building blocks, exported for tests
 *
 * Check fields: spec, bundle, candidates, strata, total, task_id, server_seed, external_entropy,
 * departments (these appear only when the input itself is malformed), and the derived fields
 * snapshot_digest, commitment, quotas, selected, result_digest, teams (one per department, with
 * `department` = its code).
 *
 * Readings of the spec where it leaves room:
 *  - Digests and the commitment are compared as hex case-insensitively; server_seed must be
 *    exactly 64 hex digits.
 *  - With a total, the selection uses the recomputed quotas, so a tampered "quotas" field fails
 *    only "quotas"; with "total": null the bundle's quotas are the input (each within 0..N_s).
 *    Teams are recomputed from the recomputed selection; each field fails on its own.
 *  - A candidate whose stratum is not listed in "strata" is an input error ("strata").
 *  - Weights: decimal strings (optional sign, fraction and exponent: "0.5", "2", "1e-1"), read
 *    exactly; integer JSON numbers are accepted, other JSON numbers refused (not exact decimals).
 *  - "exclusions" may be absent (no exclusions); excluded badges not on the roster and entries
 *    for enterprises that were not selected play no part.
 *  - "departments" must be a non-empty array; a badge on two departments' rosters fails the
 *    teams check of both departments.
 */

export const SPEC_ID = "wurao-draw-v1";

const encoder = new TextEncoder();

/** An error in the draw's inputs, with a message in both languages. */
export class DrawError extends Error {
  constructor(message_zh, message_en) {
    super(message_en);
    this.name = "DrawError";
    this.message_zh = message_zh;
    this.message_en = message_en;
  }
}

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) {
    throw new DrawError(
      "此页面无法使用浏览器的 WebCrypto（须通过 HTTPS 或 localhost 打开）",
      "WebCrypto is not available on this page (open it over HTTPS or on localhost)",
    );
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Bytes, hex, hashing

const HEX_RE = /^[0-9a-fA-F]*$/;

/** Hex string -> Uint8Array, or null if it is not hex of whole bytes. */
function hexToBytes(hex) {
  if (typeof hex !== "string" || hex.length % 2 !== 0 || !HEX_RE.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

function toHex(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = "";
  for (let i = 0; i < u8.length; i++) s += u8[i].toString(16).padStart(2, "0");
  return s;
}

function concatBytes(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function sha256(bytes) {
  return new Uint8Array(await subtle().digest("SHA-256", bytes));
}

const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True if the string has no lone surrogates, i.e. it has an exact UTF-8 encoding. */
function isWellFormed(s) {
  return typeof s.isWellFormed === "function" ? s.isWellFormed() : !LONE_SURROGATE_RE.test(s);
}

// ---------------------------------------------------------------------------------------------
// Ordering by UTF-8 bytes. For well-formed strings, UTF-8 byte order = code point order; JS's
// own `<` compares UTF-16 code units, which differs only when a surrogate (U+D800..DFFF) meets a
// code unit in U+E000..FFFF. localeCompare is never right here.

function fixupCodeUnit(c) {
  if (c < 0xd800) return c;
  return c <= 0xdfff ? c + 0x2000 : c - 0x800;
}

/** Compare two strings as their UTF-8 bytes: -1, 0 or 1. */
function compareUtf8(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixupCodeUnit(x) < fixupCodeUnit(y) ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

const SURROGATE_RE = /[\uD800-\uDFFF]/;

/** Sort an array of strings in place by UTF-8 bytes; returns it. */
function sortUtf8(strings) {
  // Without surrogates anywhere, the engine's native default sort (UTF-16 code unit order) agrees.
  if (strings.some((s) => SURROGATE_RE.test(s))) return strings.sort(compareUtf8);
  return strings.sort();
}

// ---------------------------------------------------------------------------------------------
// Exact rationals

function bigGcd(a, b) {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** An exact fraction n/d of BigInts, always reduced, d > 0. */
class Fraction {
  constructor(n, d = 1n) {
    n = BigInt(n);
    d = BigInt(d);
    if (d === 0n) throw new RangeError("Fraction with a zero denominator");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = bigGcd(n, d);
    if (g > 1n) {
      n /= g;
      d /= g;
    }
    this.n = n;
    this.d = d;
  }
  static from(x) {
    return x instanceof Fraction ? x : new Fraction(BigInt(x));
  }
  add(o) {
    o = Fraction.from(o);
    return new Fraction(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o) {
    o = Fraction.from(o);
    return new Fraction(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o) {
    o = Fraction.from(o);
    return new Fraction(this.n * o.n, this.d * o.d);
  }
  div(o) {
    o = Fraction.from(o);
    if (o.n === 0n) throw new RangeError("Fraction division by zero");
    return new Fraction(this.n * o.d, this.d * o.n);
  }
  neg() {
    return new Fraction(-this.n, this.d);
  }
  sign() {
    return this.n > 0n ? 1 : this.n < 0n ? -1 : 0;
  }
  cmp(o) {
    o = Fraction.from(o);
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  /** Largest integer <= this, as a BigInt. */
  floor() {
    if (this.n >= 0n) return this.n / this.d;
    return -((-this.n + this.d - 1n) / this.d);
  }
  toString() {
    return this.d === 1n ? `${this.n}` : `${this.n}/${this.d}`;
  }
}

const DECIMAL_RE = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** Parse a decimal string ("0.5", "2", "1.25", "1e-3") exactly; null if it is not one. */
function parseDecimal(s) {
  if (typeof s !== "string") return null;
  const m = DECIMAL_RE.exec(s);
  if (!m) return null;
  const intPart = m[2] ?? "";
  const fracPart = m[3] ?? m[4] ?? "";
  let exp = m[5] ? Number(m[5]) : 0;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return null;
  const digits = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, "") || "0");
  exp -= fracPart.length;
  let f = exp >= 0 ? new Fraction(digits * 10n ** BigInt(exp)) : new Fraction(digits, 10n ** BigInt(-exp));
  if (m[1] === "-") f = f.neg();
  return f;
}

// ---------------------------------------------------------------------------------------------
// Section 1: candidates, canonical order, snapshot digest

/**
 * Validate `[[code, stratum], ...]` and put it in canonical order.
 * Returns {codes: string[], strata: string[]} (parallel arrays). Throws DrawError.
 */
function canonicalize(candidates, what = "candidates") {
  if (!Array.isArray(candidates)) {
    throw new DrawError(`${what} 不是数组`, `${what} is not an array`);
  }
  const byCode = new Map();
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== "string" || typeof c[1] !== "string") {
      throw new DrawError(
        `${what} 第 ${i + 1} 项不是 [统一社会信用代码, 分层] 两个字符串`,
        `${what} entry ${i + 1} is not a pair of strings [credit_code, stratum]`,
      );
    }
    if (!isWellFormed(c[0]) || !isWellFormed(c[1])) {
      throw new DrawError(`${what} 第 ${i + 1} 项含无效字符`, `${what} entry ${i + 1} is not valid Unicode`);
    }
    if (byCode.has(c[0])) {
      throw new DrawError(`${what} 中统一社会信用代码重复：${c[0]}`, `duplicate credit code in ${what}: ${c[0]}`);
    }
    byCode.set(c[0], c[1]);
  }
  const codes = sortUtf8([...byCode.keys()]);
  const strata = codes.map((code) => byCode.get(code));
  return { codes, strata };
}

/** hex(SHA-256(concat of code "\t" stratum "\n")) over the given (already ordered) lists. */
async function linesDigest(codes, strata) {
  const parts = new Array(codes.length);
  for (let i = 0; i < codes.length; i++) parts[i] = `${codes[i]}\t${strata[i]}\n`;
  return toHex(await sha256(encoder.encode(parts.join(""))));
}

/** snapshot_digest of `[[code, stratum], ...]` in any order. */
async function snapshotDigest(candidates) {
  const { codes, strata } = canonicalize(candidates);
  return linesDigest(codes, strata);
}

// ---------------------------------------------------------------------------------------------
// Section 2: commitment and seed

function serverSeedBytes(serverSeed) {
  if (serverSeed instanceof Uint8Array) return serverSeed;
  const bytes = hexToBytes(serverSeed);
  if (!bytes || bytes.length !== 32) {
    throw new DrawError("server_seed 应为 64 位十六进制数（32 字节）", "server_seed must be 64 hex digits (32 bytes)");
  }
  return bytes;
}

/** hex(SHA-256(server_seed)). */
async function commitmentOf(serverSeed) {
  return toHex(await sha256(serverSeedBytes(serverSeed)));
}

/**
 * seed = SHA-256("wurao-draw-v1" 0x00 task_id 0x00 server_seed 0x00 external_entropy), 32 bytes.
 * serverSeed: 64 hex digits or 32 bytes.
 */
async function seedFromInputs(taskId, serverSeed, externalEntropy) {
  const zero = new Uint8Array([0]);
  return sha256(
    concatBytes([
      encoder.encode(SPEC_ID),
      zero,
      encoder.encode(taskId),
      zero,
      serverSeedBytes(serverSeed),
      zero,
      encoder.encode(externalEntropy),
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Section 3: keys

/** key_i for i < n: big-endian uint64s of AES-256-CTR(seed, counter 0) over 8n zero bytes. */
async function keysFor(seed, n) {
  const out = new BigUint64Array(n);
  if (n === 0) return out;
  const aes = await subtle().importKey("raw", seed, { name: "AES-CTR" }, false, ["encrypt"]);
  const stream = await subtle().encrypt(
    { name: "AES-CTR", counter: new Uint8Array(16), length: 128 },
    aes,
    new Uint8Array(8 * n),
  );
  const view = new DataView(stream);
  for (let i = 0; i < n; i++) out[i] = view.getBigUint64(8 * i, false);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Section 4: selection

/**
 * Indices (canonical order) of the selected candidates.
 * strata[i]: stratum of candidate i (canonical order); keys: BigUint64Array; quotas: Map or
 * object label -> integer (missing label: 0).
 *
 * Within a stratum the order is (key, credit_code); since canonical index order is credit-code
 * order, ties on the key are broken by index. So: sort the stratum's keys natively, take the
 * n-th smallest as a threshold t, select every key < t and, among keys == t, the lowest indices.
 */
function selectIndices(strata, keys, quotas) {
  const quotaOf = (label) => {
    const q = quotas instanceof Map ? quotas.get(label) : Object.hasOwn(quotas, label) ? quotas[label] : 0;
    return q ?? 0;
  };
  const groups = new Map();
  for (let i = 0; i < strata.length; i++) {
    let g = groups.get(strata[i]);
    if (!g) groups.set(strata[i], (g = []));
    g.push(i);
  }
  const chosen = new Uint8Array(strata.length);
  for (const [label, members] of groups) {
    const q = quotaOf(label);
    if (q <= 0) continue;
    if (q >= members.length) {
      for (const i of members) chosen[i] = 1;
      continue;
    }
    const sorted = new BigUint64Array(members.length);
    for (let j = 0; j < members.length; j++) sorted[j] = keys[members[j]];
    sorted.sort();
    const t = sorted[q - 1];
    let below = q - 1;
    while (below > 0 && sorted[below - 1] === t) below--;
    let atThreshold = q - below; // how many with key == t to take, lowest index first
    for (const i of members) {
      const k = keys[i];
      if (k < t) chosen[i] = 1;
      else if (k === t && atThreshold > 0) {
        chosen[i] = 1;
        atThreshold--;
      }
    }
  }
  const out = [];
  for (let i = 0; i < chosen.length; i++) if (chosen[i]) out.push(i);
  return out;
}

/** The selected [code, stratum] pairs in canonical order, from any-order candidates. */
async function selectFrom(candidates, seed, quotas) {
  const { codes, strata } = canonicalize(candidates);
  const keys = await keysFor(seed, codes.length);
  return selectIndices(strata, keys, quotas).map((i) => [codes[i], strata[i]]);
}

// ---------------------------------------------------------------------------------------------
// Section 5: quotas from a total and weights

function weightOf(weight, label) {
  let w = null;
  if (weight instanceof Fraction) w = weight;
  else if (typeof weight === "string") w = parseDecimal(weight);
  else if (typeof weight === "number" && Number.isSafeInteger(weight)) w = new Fraction(BigInt(weight));
  if (w === null) {
    throw new DrawError(
      `分层 ${label} 的权重不是十进制数字符串：${String(weight)}`,
      `the weight of stratum ${label} is not a decimal string: ${String(weight)}`,
    );
  }
  if (w.sign() < 0) {
    throw new DrawError(`分层 ${label} 的权重为负数：${weight}`, `the weight of stratum ${label} is negative: ${weight}`);
  }
  return w;
}

/**
 * Detailed allocation. strata: [{label, size, weight}] in listed order (weight: decimal string,
 * Fraction or integer); total: integer. Returns {quotas: Map label -> Number, real: Map label ->
 * Fraction}. Throws DrawError when the total cannot be met.
 */
function allocateDetailed(strata, total) {
  const rows = strata.map((s, index) => {
    if (!Number.isSafeInteger(s.size) || s.size < 0) {
      throw new DrawError(`分层 ${s.label} 的企业数无效`, `invalid size for stratum ${s.label}`);
    }
    return { label: s.label, size: BigInt(s.size), w: weightOf(s.weight, s.label), index };
  });
  if (new Set(rows.map((r) => r.label)).size !== rows.length) {
    throw new DrawError("分层名称重复", "duplicate stratum labels");
  }
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new DrawError(`抽取总数应为非负整数：${String(total)}`, `the total must be a non-negative integer: ${String(total)}`);
  }
  const T = BigInt(total);
  const eligible = rows.filter((r) => r.size > 0n && r.w.sign() > 0);
  const available = eligible.reduce((a, r) => a + r.size, 0n);
  if (T > available) {
    throw new DrawError(
      `抽取总数 ${total} 超过可抽企业数 ${available}（只计企业数和权重均大于 0 的分层）`,
      `the total ${total} exceeds the ${available} enterprises in strata with N_s > 0 and w_s > 0`,
    );
  }
  // Water-filling.
  const saturated = new Set();
  let lambda = new Fraction(0n);
  for (;;) {
    const open = eligible.filter((r) => !saturated.has(r));
    if (open.length === 0) break;
    let rest = T;
    for (const r of saturated) rest -= r.size;
    let denominator = new Fraction(0n);
    for (const r of open) denominator = denominator.add(r.w.mul(r.size));
    lambda = new Fraction(rest).div(denominator);
    const full = open.filter((r) => lambda.mul(r.w).cmp(1n) >= 0);
    if (full.length === 0) break;
    for (const r of full) saturated.add(r);
  }
  const eligibleSet = new Set(eligible);
  for (const r of rows) {
    if (!eligibleSet.has(r)) r.q = new Fraction(0n);
    else if (saturated.has(r)) r.q = new Fraction(r.size);
    else r.q = lambda.mul(r.w).mul(r.size);
    r.n = r.q.floor();
    r.frac = r.q.sub(r.n);
  }
  // Floor, then the largest remainders: fraction desc, weight desc, listed order.
  let left = T - rows.reduce((a, r) => a + r.n, 0n);
  const pool = eligible
    .filter((r) => r.n < r.size)
    .sort((a, b) => b.frac.cmp(a.frac) || b.w.cmp(a.w) || a.index - b.index);
  if (left > BigInt(pool.length)) {
    throw new DrawError("无法凑足抽取总数", "cannot reach the total"); // cannot happen with exact arithmetic
  }
  for (const r of pool) {
    if (left <= 0n) break;
    r.n += 1n;
    left -= 1n;
  }
  return {
    quotas: new Map(rows.map((r) => [r.label, Number(r.n)])),
    real: new Map(rows.map((r) => [r.label, r.q])),
  };
}

/** Quotas {label: n_s} in listed order for strata [{label, size, weight}] and a total. */
function allocate(strata, total) {
  return Object.fromEntries(allocateDetailed(strata, total).quotas);
}

// ---------------------------------------------------------------------------------------------
// Section 6: inspector teams

function stringList(value, what) {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !isWellFormed(v))) {
    throw new DrawError(`${what} 应为字符串数组`, `${what} must be an array of strings`);
  }
  return value;
}

/**
 * Teams {credit_code: [badge, ...]} for the selected codes (canonical order), by section 6.
 * seed: 32 bytes. exclusions: {credit_code: [badge, ...]}. Throws DrawError (naming the
 * enterprise when fewer than teamSize inspectors are eligible).
 */
async function assignTeams(seed, selectedCodes, roster, teamSize, exclusions = {}, { onProgress, batch = 8192 } = {}) {
  stringList(roster, "roster");
  if (!Number.isSafeInteger(teamSize) || teamSize < 1) {
    throw new DrawError(`检查组人数 team_size 应为不小于 1 的整数：${String(teamSize)}`, `team_size must be an integer >= 1: ${String(teamSize)}`);
  }
  if (exclusions === null || exclusions === undefined) exclusions = {};
  if (typeof exclusions !== "object" || Array.isArray(exclusions)) {
    throw new DrawError("exclusions 应为对象 {统一社会信用代码: [执法证号, …]}", "exclusions must be an object {credit_code: [badge, ...]}");
  }
  const R = roster.length;
  const S = selectedCodes.length;
  if (new Set(roster).size !== R) {
    const seen = new Set();
    const dup = roster.find((b) => (seen.has(b) ? true : (seen.add(b), false)));
    throw new DrawError(`名册中执法证号重复：${dup}`, `duplicate badge in the roster: ${dup}`);
  }
  const entries = [];
  if (S === 0) return {};
  if (R === 0) throw new DrawError("执法人员名册为空，但有企业被抽中", "the roster is empty but enterprises were selected");

  const cap = Number((BigInt(teamSize) * BigInt(S) + BigInt(R) - 1n) / BigInt(R));
  const rank = new Int32Array(R); // badge order (UTF-8 bytes) for ties on team_key
  const position = new Map(sortUtf8([...roster]).map((b, i) => [b, i]));
  for (let j = 0; j < R; j++) rank[j] = position.get(roster[j]);
  const badgeBytes = roster.map((b) => encoder.encode(b));
  const hmacKey = await subtle().importKey("raw", seed, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const load = new Uint32Array(R);
  const perBatch = Math.max(1, Math.floor(batch / R));

  for (let start = 0; start < S; start += perBatch) {
    const end = Math.min(S, start + perBatch);
    const jobs = [];
    for (let e = start; e < end; e++) {
      const code = selectedCodes[e];
      let excluded = new Set();
      if (Object.hasOwn(exclusions, code)) excluded = new Set(stringList(exclusions[code], `exclusions[${code}]`));
      const eligible = [];
      for (let j = 0; j < R; j++) if (!excluded.has(roster[j])) eligible.push(j);
      if (eligible.length < teamSize) {
        throw new DrawError(
          `企业 ${code} 可派执法人员只有 ${eligible.length} 名，少于检查组人数 ${teamSize}`,
          `enterprise ${code} has only ${eligible.length} eligible inspectors, fewer than the team size ${teamSize}`,
        );
      }
      const prefix = encoder.encode(`team\u0000${code}\u0000`);
      const macs = eligible.map((j) => subtle().sign("HMAC", hmacKey, concatBytes([prefix, badgeBytes[j]])));
      jobs.push({ code, eligible, macs: Promise.all(macs) });
    }
    const results = await Promise.all(jobs.map((job) => job.macs));
    for (let x = 0; x < jobs.length; x++) {
      const { code, eligible } = jobs[x];
      const keys = results[x].map((mac) => new DataView(mac).getBigUint64(0, false));
      const ranked = eligible.map((_, p) => p);
      ranked.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : rank[eligible[a]] - rank[eligible[b]]));
      let team;
      for (let limit = cap; ; limit++) {
        team = [];
        for (const p of ranked) {
          const j = eligible[p];
          if (load[j] < limit) {
            team.push(j);
            if (team.length === teamSize) break;
          }
        }
        if (team.length === teamSize) break;
      }
      for (const j of team) load[j]++;
      entries.push([code, team.map((j) => roster[j])]);
    }
    if (onProgress) onProgress(end, S);
  }
  return Object.fromEntries(entries);
}

/** team_key(code, badge) as a BigInt (for tests). */
async function teamKey(seed, code, badge) {
  const key = await subtle().importKey("raw", seed, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await subtle().sign("HMAC", key, encoder.encode(`team\u0000${code}\u0000${badge}`));
  return new DataView(mac).getBigUint64(0, false);
}

// ---------------------------------------------------------------------------------------------
// The verifier

const STAGES = {
  parse: ["读取结果包", "reading the bundle"],
  snapshot: ["计算快照摘要", "computing the snapshot digest"],
  seed: ["核对承诺值与随机种子", "checking the commitment and the seed"],
  quotas: ["核对各层抽取数", "checking the quotas"],
  keys: ["生成排序密钥", "generating the keys"],
  select: ["重算抽中企业", "recomputing the selection"],
  teams: ["重算检查组", "recomputing the teams"],
  done: ["核验完成", "verification finished"],
};

const FIELD_EN = {
  bundle: "bundle",
  spec: "spec version",
  candidates: "candidates",
  snapshot_digest: "snapshot digest",
  commitment: "commitment",
  server_seed: "server seed",
  task_id: "task id",
  external_entropy: "external entropy",
  strata: "strata and weights",
  total: "total",
  quotas: "quotas",
  selected: "selected enterprises",
  result_digest: "result digest",
  departments: "departments",
  teams: "inspection teams",
};

/** The page's language: an English page shows the English messages only. */
function pageIsEnglish() {
  return typeof document !== "undefined" && (document.documentElement.lang || "").startsWith("en");
}

const FIELD_ZH = {
  bundle: "结果包",
  spec: "规范版本",
  candidates: "候选名单",
  snapshot_digest: "快照摘要",
  commitment: "承诺值",
  server_seed: "服务器种子",
  task_id: "任务编号",
  external_entropy: "外部随机源",
  strata: "分层与权重",
  total: "抽取总数",
  quotas: "各层抽取数",
  selected: "抽中企业",
  result_digest: "结果摘要",
  departments: "参与部门",
  teams: "检查组",
};

function check(field, ok, expected, found, message_zh, message_en, department) {
  const c = { field };
  if (department !== undefined) c.department = department;
  Object.assign(c, { ok, expected, found, message_zh, message_en });
  return c;
}

function errorCheck(field, err, found, department) {
  if (err instanceof DrawError) return check(field, false, null, found, err.message_zh, err.message_en, department);
  throw err;
}

function blockedCheck(field, because, found, department) {
  const zh = because.map((f) => `${FIELD_ZH[f] || f}（${f}）`).join("、");
  const en = because.join(", ");
  return check(field, false, null, found, `无法重算：${zh} 无效`, `cannot be recomputed: invalid ${en}`, department);
}

function hexCheck(field, expected, found, what_zh, what_en) {
  const ok = typeof found === "string" && found.toLowerCase() === expected;
  return ok
    ? check(field, true, expected, found, `${what_zh}一致`, `${what_en} matches`)
    : check(
        field,
        false,
        expected,
        found,
        `${what_zh}不符：重算得 ${expected}，结果包中为 ${typeof found === "string" ? found : JSON.stringify(found)}`,
        `${what_en} does not match: recomputed ${expected}, the bundle says ${typeof found === "string" ? found : JSON.stringify(found)}`,
      );
}

function pairsEqual(a, b) {
  return Array.isArray(b) && b.length === 2 && a[0] === b[0] && a[1] === b[1];
}

function listEqual(a, b) {
  return Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
}

function isPlainObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function show(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

async function runChecks(bundle, checks, progress) {
  progress("parse");
  if (typeof bundle === "string") {
    try {
      bundle = JSON.parse(bundle.replace(/^\uFEFF/, ""));
    } catch (err) {
      checks.push(check("bundle", false, null, null, `不是有效的 JSON：${err.message}`, `not valid JSON: ${err.message}`));
      return;
    }
  }
  if (!isPlainObject(bundle)) {
    checks.push(check("bundle", false, null, null, "结果包应为 JSON 对象", "the bundle must be a JSON object"));
    return;
  }
  checks.push(
    bundle.spec === SPEC_ID
      ? check("spec", true, SPEC_ID, bundle.spec, `规范版本为 ${SPEC_ID}`, `spec is ${SPEC_ID}`)
      : check("spec", false, SPEC_ID, bundle.spec ?? null, `规范版本应为 ${SPEC_ID}，结果包中为 ${show(bundle.spec)}`, `spec should be ${SPEC_ID}, the bundle says ${show(bundle.spec)}`),
  );

  // 1. candidates and snapshot_digest
  progress("snapshot");
  let canon = null;
  try {
    canon = canonicalize(bundle.candidates);
  } catch (err) {
    checks.push(errorCheck("candidates", err, null));
  }
  if (canon) {
    const digest = await linesDigest(canon.codes, canon.strata);
    checks.push(hexCheck("snapshot_digest", digest, bundle.snapshot_digest, `快照摘要（${canon.codes.length} 家候选企业）`, `snapshot digest (${canon.codes.length} candidates)`));
  } else {
    checks.push(blockedCheck("snapshot_digest", ["candidates"], bundle.snapshot_digest ?? null));
  }

  // 2. commitment and seed
  progress("seed");
  let serverSeed = null;
  try {
    serverSeed = serverSeedBytes(bundle.server_seed);
  } catch (err) {
    checks.push(errorCheck("server_seed", err, bundle.server_seed ?? null));
  }
  if (serverSeed) {
    checks.push(hexCheck("commitment", await commitmentOf(serverSeed), bundle.commitment, "承诺值", "commitment"));
  } else {
    checks.push(blockedCheck("commitment", ["server_seed"], bundle.commitment ?? null));
  }
  const seedInputsBad = [];
  if (!serverSeed) seedInputsBad.push("server_seed");
  for (const field of ["task_id", "external_entropy"]) {
    if (typeof bundle[field] !== "string" || !isWellFormed(bundle[field])) {
      seedInputsBad.push(field);
      checks.push(check(field, false, null, bundle[field] ?? null, `${field} 应为字符串`, `${field} must be a string`));
    }
  }
  const seed = seedInputsBad.length ? null : await seedFromInputs(bundle.task_id, serverSeed, bundle.external_entropy);

  // 5. quotas
  progress("quotas");
  let strata = null; // [{label, weight: Fraction}]
  try {
    if (!Array.isArray(bundle.strata)) throw new DrawError("strata 应为数组", "strata must be an array");
    strata = bundle.strata.map((s, i) => {
      if (!isPlainObject(s) || typeof s.label !== "string" || !isWellFormed(s.label)) {
        throw new DrawError(`strata 第 ${i + 1} 项缺少分层名称 label`, `strata entry ${i + 1} has no label`);
      }
      return { label: s.label, weight: weightOf(s.weight, s.label) };
    });
    const labels = new Set(strata.map((s) => s.label));
    if (labels.size !== strata.length) throw new DrawError("strata 中分层名称重复", "duplicate labels in strata");
    if (canon) {
      const missing = canon.strata.find((s) => !labels.has(s));
      if (missing !== undefined) {
        const code = canon.codes[canon.strata.indexOf(missing)];
        throw new DrawError(
          `候选企业 ${code} 的分层 ${missing} 不在 strata 列表中`,
          `stratum ${missing} of candidate ${code} is not listed in strata`,
        );
      }
    }
  } catch (err) {
    checks.push(errorCheck("strata", err, bundle.strata ?? null));
    strata = null;
  }
  let quotas = null; // Map label -> n_s used for the selection
  const foundQuotas = bundle.quotas ?? null;
  const totalOk = bundle.total === null || (Number.isSafeInteger(bundle.total) && bundle.total >= 0);
  if (!totalOk) {
    checks.push(check("total", false, null, bundle.total ?? null, "total 应为非负整数或 null", "total must be a non-negative integer or null"));
  }
  if (!strata || !canon || !totalOk) {
    checks.push(blockedCheck("quotas", [!canon && "candidates", !strata && "strata", !totalOk && "total"].filter(Boolean), foundQuotas));
  } else {
    const sizes = new Map(strata.map((s) => [s.label, 0]));
    for (const s of canon.strata) sizes.set(s, sizes.get(s) + 1);
    const extra = isPlainObject(foundQuotas) ? Object.keys(foundQuotas).filter((k) => !sizes.has(k)) : [];
    if (bundle.total !== null) {
      try {
        const expected = allocateDetailed(
          strata.map((s) => ({ label: s.label, size: sizes.get(s.label), weight: s.weight })),
          bundle.total,
        ).quotas;
        quotas = expected;
        const expectedObj = Object.fromEntries(expected);
        const wrong = strata
          .map((s) => s.label)
          .filter((l) => !isPlainObject(foundQuotas) || !Object.hasOwn(foundQuotas, l) || foundQuotas[l] !== expected.get(l));
        if (wrong.length === 0 && extra.length === 0) {
          checks.push(check("quotas", true, expectedObj, foundQuotas, `各层抽取数与按总数 ${bundle.total} 和权重的分配一致`, `quotas match the allocation of the total ${bundle.total} by weight`));
        } else {
          const list = wrong.map((l) => `${l}: ${expected.get(l)}≠${isPlainObject(foundQuotas) ? show(foundQuotas[l]) : "—"}`);
          list.push(...extra.map((l) => `${l}: —≠${show(foundQuotas[l])}`));
          checks.push(check("quotas", false, expectedObj, foundQuotas, `各层抽取数不符（重算≠结果包）：${list.join("，")}`, `quotas do not match (recomputed≠bundle): ${list.join(", ")}`));
        }
      } catch (err) {
        checks.push(errorCheck("quotas", err, foundQuotas));
      }
    } else {
      const bad = strata
        .map((s) => s.label)
        .filter((l) => {
          const q = isPlainObject(foundQuotas) && Object.hasOwn(foundQuotas, l) ? foundQuotas[l] : undefined;
          return !Number.isSafeInteger(q) || q < 0 || q > sizes.get(l);
        });
      const bounds = Object.fromEntries(strata.map((s) => [s.label, [0, sizes.get(s.label)]]));
      if (bad.length === 0 && extra.length === 0) {
        quotas = new Map(strata.map((s) => [s.label, foundQuotas[s.label]]));
        checks.push(check("quotas", true, bounds, foundQuotas, "各层抽取数（人工设定）均在 0 至该层企业数之间", "hand-set quotas are all between 0 and the stratum's size"));
      } else {
        const list = bad.map((l) => `${l}: ${isPlainObject(foundQuotas) ? show(foundQuotas[l]) : "—"} ∉ [0, ${sizes.get(l)}]`);
        const zh = [...list, ...extra.map((l) => `${l}: 不在 strata 中`)];
        const en = [...list, ...extra.map((l) => `${l}: not in strata`)];
        checks.push(check("quotas", false, bounds, foundQuotas, `各层抽取数无效：${zh.join("，")}`, `invalid quotas: ${en.join(", ")}`));
      }
    }
  }

  // 3-4. keys, selected, result_digest
  let selected = null; // [[code, stratum], ...] canonical order
  const selectBlockers = [!canon && "candidates", !seed && "seed", !quotas && "quotas"].filter(Boolean);
  if (selectBlockers.length === 0) {
    progress("keys");
    const keys = await keysFor(seed, canon.codes.length);
    progress("select");
    selected = selectIndices(canon.strata, keys, quotas).map((i) => [canon.codes[i], canon.strata[i]]);
    const found = bundle.selected;
    let firstDiff = -1;
    if (!Array.isArray(found)) firstDiff = 0;
    else {
      const n = Math.max(found.length, selected.length);
      for (let i = 0; i < n; i++) {
        if (i >= selected.length || !pairsEqual(selected[i], found[i])) {
          firstDiff = i;
          break;
        }
      }
    }
    if (firstDiff < 0) {
      checks.push(check("selected", true, selected, found, `抽中企业一致（${selected.length} 家）`, `selected enterprises match (${selected.length})`));
    } else {
      const count = Array.isArray(found) ? found.length : "—";
      const exp = firstDiff < selected.length ? selected[firstDiff].join(" ") : "（无）";
      const got = Array.isArray(found) && firstDiff < found.length ? show(found[firstDiff]) : "（无）";
      checks.push(
        check(
          "selected",
          false,
          selected,
          found ?? null,
          `抽中企业不符：重算抽中 ${selected.length} 家，结果包列出 ${count} 家；自第 ${firstDiff + 1} 项起不同（重算 ${exp}，结果包 ${got}）`,
          `selected enterprises do not match: recomputed ${selected.length}, the bundle lists ${count}; they differ from entry ${firstDiff + 1} (recomputed ${exp.replace("（无）", "(none)")}, bundle ${got.replace("（无）", "(none)")})`,
        ),
      );
    }
    const digest = await linesDigest(
      selected.map((p) => p[0]),
      selected.map((p) => p[1]),
    );
    checks.push(hexCheck("result_digest", digest, bundle.result_digest, "结果摘要", "result digest"));
  } else {
    const because = selectBlockers.map((f) => (f === "seed" ? seedInputsBad : [f])).flat();
    checks.push(blockedCheck("selected", because, bundle.selected ?? null));
    checks.push(blockedCheck("result_digest", because, bundle.result_digest ?? null));
  }

  // 6. teams, per department
  const departments = bundle.departments;
  if (!Array.isArray(departments) || departments.length === 0) {
    checks.push(check("departments", false, null, departments ?? null, "departments 应为非空数组（每个参与部门一项）", "departments must be a non-empty array (one entry per department)"));
    return;
  }
  const rosterOwner = new Map(); // badge -> first department code
  const clash = new Map(); // department index -> [badge, other department]
  const codes = departments.map((d, i) => (isPlainObject(d) && typeof d.code === "string" ? d.code : `#${i + 1}`));
  departments.forEach((d, i) => {
    if (!isPlainObject(d) || !Array.isArray(d.roster)) return;
    for (const badge of new Set(d.roster)) {
      if (typeof badge !== "string") continue;
      if (rosterOwner.has(badge) && rosterOwner.get(badge)[1] !== i) {
        const [other, j] = rosterOwner.get(badge);
        if (!clash.has(i)) clash.set(i, [badge, other]);
        if (!clash.has(j)) clash.set(j, [badge, codes[i]]);
      } else rosterOwner.set(badge, [codes[i], i]);
    }
  });
  const seenCodes = new Set();
  const S = selected ? selected.length : 0;
  for (let i = 0; i < departments.length; i++) {
    const d = departments[i];
    const code = codes[i];
    const found = isPlainObject(d) ? (d.teams ?? null) : null;
    if (!isPlainObject(d) || typeof d.code !== "string") {
      checks.push(check("teams", false, null, found, `departments 第 ${i + 1} 项缺少部门代码 code`, `departments entry ${i + 1} has no code`, code));
      continue;
    }
    if (seenCodes.has(code)) {
      checks.push(check("teams", false, null, found, `部门代码 ${code} 重复出现`, `department code ${code} appears twice`, code));
      continue;
    }
    seenCodes.add(code);
    if (clash.has(i)) {
      const [badge, other] = clash.get(i);
      checks.push(check("teams", false, null, found, `执法证号 ${badge} 同时列在部门 ${code} 和 ${other} 的名册中`, `badge ${badge} is listed in the rosters of both ${code} and ${other}`, code));
      continue;
    }
    if (!selected || !seed) {
      checks.push(blockedCheck("teams", selected ? seedInputsBad : ["selected"], found, code));
      continue;
    }
    let expected;
    try {
      expected = await assignTeams(seed, selected.map((p) => p[0]), d.roster, d.team_size, d.exclusions ?? {}, {
        onProgress: (done) => progress("teams", i * S + done, departments.length * S),
      });
    } catch (err) {
      checks.push(errorCheck("teams", err, found, code));
      continue;
    }
    const wrong = [];
    for (const p of selected) {
      if (!isPlainObject(found) || !Object.hasOwn(found, p[0]) || !listEqual(expected[p[0]], found[p[0]])) wrong.push(p[0]);
    }
    const extra = isPlainObject(found) ? Object.keys(found).filter((k) => !Object.hasOwn(expected, k)) : [];
    if (wrong.length === 0 && extra.length === 0) {
      checks.push(check("teams", true, expected, found, `部门 ${code} 的检查组一致（${S} 组，每组 ${d.team_size} 人）`, `teams of ${code} match (${S} teams of ${d.team_size})`, code));
    } else if (wrong.length) {
      const first = wrong[0];
      const got = isPlainObject(found) && Object.hasOwn(found, first) ? show(found[first]) : "（缺）";
      checks.push(
        check(
          "teams",
          false,
          expected,
          found,
          `部门 ${code} 的检查组不符：${wrong.length} 家企业不同；如企业 ${first} 重算为 ${expected[first].join("、")}，结果包为 ${got}`,
          `teams of ${code} do not match: ${wrong.length} enterprises differ; e.g. ${first} recomputed ${expected[first].join(", ")}, the bundle says ${got.replace("（缺）", "(missing)")}`,
          code,
        ),
      );
    } else {
      checks.push(check("teams", false, expected, found, `部门 ${code} 的检查组多出未抽中的企业：${extra.slice(0, 5).join("、")}`, `teams of ${code} list enterprises that were not selected: ${extra.slice(0, 5).join(", ")}`, code));
    }
  }
}

/**
 * Recompute every derived field of a bundle. Never throws for bad input: problems become
 * failing checks.
 */
export async function verifyBundle(bundle, { onProgress } = {}) {
  const checks = [];
  const progress = (stage, done = null, total = null) => {
    if (!onProgress) return;
    const [message_zh, message_en] = STAGES[stage];
    try {
      onProgress({ stage, done, total, message_zh, message_en });
    } catch (err) {
      console.error(err); // a broken progress callback must not break the verification
    }
  };
  try {
    await runChecks(bundle, checks, progress);
  } catch (err) {
    const zh = err instanceof DrawError ? err.message_zh : `核验中断：${err && err.message}`;
    const en = err instanceof DrawError ? err.message_en : `verification aborted: ${err && err.message}`;
    checks.push(check("bundle", false, null, null, zh, en));
  }
  progress("done");
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks };
}

/** Verify a bundle from a File or Blob (for <input type=file>). */
export async function verifyBundleFromFile(file, options = {}) {
  let text;
  try {
    text = await file.text();
  } catch (err) {
    return {
      ok: false,
      checks: [check("bundle", false, null, null, `无法读取文件：${err.message}`, `cannot read the file: ${err.message}`)],
    };
  }
  return verifyBundle(text, options);
}

// ---------------------------------------------------------------------------------------------
// Rendering (textContent only: the bundle is untrusted)

function summarize(value, english) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  const text = show(value);
  if (text.length <= 160) return text;
  if (Array.isArray(value)) return english ? `[${value.length} items]` : `[${value.length} 项 items]`;
  if (typeof value === "object") return english ? `{${Object.keys(value).length} entries}` : `{${Object.keys(value).length} 项 entries}`;
  return `${text.slice(0, 160)}…`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Render a result of verifyBundle into `container` (replacing its content): a summary line and
 * one list item per check (data-field, data-department, data-ok). Sets container.dataset.state
 * to "passed" or "failed".
 */
export function renderChecks(container, result) {
  const checks = (result && result.checks) || [];
  const failed = checks.filter((c) => !c.ok).length;
  const english = pageIsEnglish();
  container.replaceChildren();
  container.dataset.state = result && result.ok ? "passed" : "failed";

  const summary = el("p", `draw-verify-summary fw-bold ${result && result.ok ? "text-success" : "text-danger"}`);
  const summaryEn = result && result.ok ? `All ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`;
  if (english) {
    summary.append(el("span", null, `${result && result.ok ? "✔" : "✘"} ${summaryEn}`));
  } else {
    summary.append(
      el("span", null, result && result.ok ? `✔ 核验通过：${checks.length} 项全部一致` : `✘ 核验未通过：${failed} 项不符`),
      " ",
      el("span", "ms-2 small text-muted fw-normal", summaryEn),
    );
    summary.lastChild.lang = "en";
  }
  container.append(summary);

  const list = el("ul", "draw-verify-checks list-group");
  for (const c of checks) {
    const item = el("li", "list-group-item");
    item.dataset.field = c.field;
    if (c.department !== undefined) item.dataset.department = c.department;
    item.dataset.ok = c.ok ? "true" : "false";

    const head = el("div");
    const mark = english ? (c.ok ? "✔ passed" : "✘ mismatch") : c.ok ? "✔ 通过" : "✘ 不符";
    head.append(el("span", `draw-verify-mark me-2 fw-bold ${c.ok ? "text-success" : "text-danger"}`, mark));
    head.append(el("span", "fw-semibold", (english ? FIELD_EN : FIELD_ZH)[c.field] || c.field), " ");
    head.append(el("code", "ms-2", c.field));
    if (c.department !== undefined) {
      head.append(" ", el("span", "ms-2 badge text-bg-light", `${english ? "department" : "部门"} ${c.department}`));
    }
    item.append(head);

    if (!english) item.append(el("div", "draw-verify-message", c.message_zh));
    const en = el("div", english ? "draw-verify-message" : "draw-verify-message-en small text-muted", c.message_en);
    en.lang = "en";
    item.append(en);
    if (!c.ok && (c.expected !== null || c.found !== null)) {
      const detail = el("div", "draw-verify-detail small font-monospace text-break");
      detail.append(el("div", null, `${english ? "" : "重算 "}expected: ${summarize(c.expected, english)}`));
      detail.append(el("div", null, `${english ? "" : "包内 "}found: ${summarize(c.found, english)}`));
      item.append(detail);
    }
    list.append(item);
  }
  container.append(list);
}

/** Building blocks, for tests and for anyone reading the code next to the spec. */
export const _internals = {
  SPEC_ID,
  DrawError,
  Fraction,
  parseDecimal,
  hexToBytes,
  toHex,
  compareUtf8,
  sortUtf8,
  canonicalize,
  linesDigest,
  snapshotDigest,
  commitmentOf,
  seedFromInputs,
  keysFor,
  selectIndices,
  selectFrom,
  allocate,
  allocateDetailed,
  assignTeams,
  teamKey,
};
