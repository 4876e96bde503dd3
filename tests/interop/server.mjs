// Starts `durable serve` on a free port for a test and stops it afterwards.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "..", "..");
export const durableBinary = process.env.DURABLE_BIN ?? join(repoRoot, "build", "durable");

export async function startServer({ template, extraArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "durable-interop-"));
  const portFile = join(dir, "port");
  const args = ["serve", "--port", "0", "--port-file", portFile, "--db", join(dir, "test.db")];
  if (template) args.push("--template", template);
  args.push(...extraArgs);
  const proc = spawn(durableBinary, args, { stdio: ["ignore", "inherit", "inherit"] });
  const deadline = Date.now() + 15000;
  while (!existsSync(portFile) || readFileSync(portFile, "utf8").trim() === "") {
    if (proc.exitCode !== null) throw new Error(`durable serve exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error("durable serve did not start in 15 s");
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(readFileSync(portFile, "utf8").trim());
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    dir,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once("exit", r)));
    },
  };
}

export async function eventually(fn, { timeoutMs = 15000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
