// A real MCP client nobody on the team wrote: the official TypeScript SDK drives `specsynth mcp` over stdio.
//   node client.mjs CLI_DLL SPEC_MD
// initialize -> list tools -> generate (dry run, mock provider) -> apply -> undo, checking the files on disk at each step.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [cliDll, spec] = process.argv.slice(2);
if (!cliDll || !spec) {
  console.error("usage: node client.mjs CLI_DLL SPEC_MD");
  process.exit(2);
}
const project = mkdtempSync(join(tmpdir(), "specsynth-mcp-ts-project-"));
const state = mkdtempSync(join(tmpdir(), "specsynth-mcp-ts-state-"));
copyFileSync(spec, join(project, "spec.md"));

const transport = new StdioClientTransport({
  command: "dotnet",
  args: [cliDll, "mcp", "--project", project],
  env: { ...process.env, SPECSYNTH_HOME: state },
  stderr: "inherit",
});
const client = new Client({ name: "specsynth-ci-typescript", version: "1.0.0" });
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  for (const name of ["context", "generate", "apply", "undo", "explain", "review", "usage", "models"]) {
    assert.ok(names.includes(name), `tool ${name} missing from ${names.join(", ")}`);
  }
  for (const tool of tools) {
    assert.equal(tool.inputSchema?.type, "object", `tool ${tool.name} has no input schema`);
  }

  const dry = await client.callTool({ name: "generate", arguments: { spec: "spec.md", provider: "mock" } });
  assert.ok(!dry.isError, `generate failed: ${JSON.stringify(dry.content)}`);
  const id = dry.structuredContent?.dry_run_id;
  const files = (dry.structuredContent?.files ?? []).map((f) => f.path);
  assert.ok(id, "the dry run returned no dry_run_id");
  assert.ok(files.length > 0, "the dry run planned no files");
  for (const file of files) assert.ok(!existsSync(join(project, file)), `the dry run wrote ${file}`);

  const applied = await client.callTool({ name: "apply", arguments: { dry_run_id: id } });
  assert.ok(!applied.isError, `apply failed: ${JSON.stringify(applied.content)}`);
  for (const file of files) assert.ok(existsSync(join(project, file)), `apply did not write ${file}`);

  const again = await client.callTool({ name: "apply", arguments: { dry_run_id: id } });
  assert.ok(again.isError, "applying the same dry run twice must be refused");

  const undone = await client.callTool({ name: "undo", arguments: {} });
  assert.ok(!undone.isError, `undo failed: ${JSON.stringify(undone.content)}`);
  for (const file of files) assert.ok(!existsSync(join(project, file)), `undo left ${file}`);

  console.log(`mcp (official TypeScript SDK over stdio): ${names.length} tools; dry run ${id} planned ${files.length} files; applied; ` +
    "second apply refused; undone");
} finally {
  await client.close();
  rmSync(project, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
}
