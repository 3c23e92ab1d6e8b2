// Drives an MCP server with the official TypeScript SDK client, the way SDK-based hosts do.
// Usage: node drive.mjs <spec.json>; prints one JSON report on stdout.
// spec: { transport: {type:"stdio", command, args, env} | {type:"http", url, token, headers},
//         steps: [{tool, arguments, capture: {var: "structuredContent property"}}], timeoutMs }
// String arguments may name earlier captures as {var}. The report lists the tools from tools/list that no step covers,
// and each step's outcome; the SDK client itself checks every structuredContent against the tool's outputSchema.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const report = { selfCheck: null, listed: [], missingSamples: [], results: [] };

// The test is only worth something if this client rejects structured content that breaks its schema.
async function selfCheck() {
  const server = new Server({ name: "self-check", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{
      name: "broken", inputSchema: { type: "object" },
      outputSchema: { type: "object", properties: { count: { type: "number" } }, required: ["count"] },
    }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async () => ({
    content: [{ type: "text", text: "{}" }], structuredContent: { count: "not a number" },
  }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: "self-check", version: "1.0.0" });
  await client.connect(b);
  await client.listTools();
  try {
    const r = await client.callTool({ name: "broken", arguments: {} });
    return r.isError ? "ok" : "the SDK client accepted structured content that breaks its outputSchema";
  } catch {
    return "ok";
  } finally {
    await client.close();
  }
}

function substitute(value, vars) {
  if (typeof value === "string") return value.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

function transportOf(t) {
  if (t.type === "stdio") return new StdioClientTransport({ command: t.command, args: t.args, env: { ...process.env, ...(t.env ?? {}) }, stderr: "ignore" });
  const headers = { ...(t.headers ?? {}), ...(t.token ? { Authorization: `Bearer ${t.token}` } : {}) };
  return new StreamableHTTPClientTransport(new URL(t.url), { requestInit: { headers } });
}

function sameJson(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

async function main() {
  report.selfCheck = await selfCheck();
  const client = new Client({ name: "firecrest-sdk-test", version: "1.0.0" });
  await client.connect(transportOf(spec.transport));
  const { tools } = await client.listTools();
  report.listed = tools.map((t) => t.name);
  const covered = new Set(spec.steps.map((s) => s.tool));
  report.missingSamples = report.listed.filter((n) => !covered.has(n));
  const vars = { ...(spec.vars ?? {}) };
  const options = { timeout: spec.timeoutMs ?? 300000, resetTimeoutOnProgress: true };
  for (const step of spec.steps) {
    if (!report.listed.includes(step.tool)) { report.results.push({ tool: step.tool, skipped: true }); continue; }
    const args = substitute(step.arguments ?? {}, vars);
    const entry = { tool: step.tool, arguments: args };
    try {
      const r = await client.callTool({ name: step.tool, arguments: args }, undefined, options);
      entry.isError = r.isError === true;
      entry.text = (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n").slice(0, 2000);
      entry.hasStructured = r.structuredContent !== undefined;
      // Text-only hosts read the same data: one text block must be the structured content as JSON.
      entry.jsonTextMatches = !entry.hasStructured || (r.content ?? []).some((c) => {
        if (c.type !== "text") return false;
        try { return sameJson(JSON.parse(c.text), r.structuredContent); } catch { return false; }
      });
      for (const [name, property] of Object.entries(step.capture ?? {})) vars[name] = r.structuredContent?.[property];
    } catch (e) {
      entry.exception = String(e?.message ?? e);
    }
    report.results.push(entry);
  }
  await client.close();
}

try {
  await main();
} catch (e) {
  report.fatal = String(e?.stack ?? e);
}
process.stdout.write(JSON.stringify(report) + "\n");
process.exit(0);
