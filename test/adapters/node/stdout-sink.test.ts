import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { consoleSink, createLogger, type LogRecord } from "skiff";
import { bufferedStdoutSink } from "../../../src/adapters/node/stdout-sink.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));

function capture() {
  const writes: { out: string[]; err: string[] } = { out: [], err: [] };
  const sink = bufferedStdoutSink({
    out: (chunk) => void writes.out.push(chunk),
    err: (chunk) => void writes.err.push(chunk),
  });
  return { writes, sink };
}

describe("the Node server's log sink", () => {
  it("writes every line of one event-loop turn in one write per stream, in order, as the console sink formats them", async () => {
    const { writes, sink } = capture();
    const log = createLogger({ sink });
    log.info("first", { n: 1n });
    log.error("broken", { error: new TypeError("bad input") });
    log.warn("second");
    expect(writes.out).toEqual([]); // nothing written yet: the turn is not over
    await turn();
    expect(writes.out).toHaveLength(1);
    expect(writes.err).toHaveLength(1);
    const out = writes.out[0]!.split("\n");
    expect(out.map((l) => (l ? (JSON.parse(l) as LogRecord).msg : l))).toEqual(["first", "second", ""]);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: "info", n: "1" });
    expect(JSON.parse(writes.err[0]!)).toMatchObject({
      msg: "broken",
      error: { name: "TypeError", message: "bad input" },
    });

    // The same line the console sink writes.
    const record: LogRecord = { time: "2026-12-01T00:00:00.000Z", level: "info", msg: "same", n: 2n };
    const printed: string[] = [];
    const original = console.log;
    console.log = (line: string) => void printed.push(line);
    try {
      consoleSink(record);
    } finally {
      console.log = original;
    }
    sink(record);
    await turn();
    expect(writes.out[1]).toBe(`${printed[0]}\n`);
  });

  it("formats a record when it is logged, so a later change to its fields is not written", async () => {
    const { writes, sink } = capture();
    const fields = { status: 200 };
    createLogger({ sink }).info("request", fields);
    fields.status = 500;
    await turn();
    expect(JSON.parse(writes.out[0]!)).toMatchObject({ status: 200 });
  });

  it("writes at once past 64 KiB buffered, instead of holding a burst until the turn ends", () => {
    const { writes, sink } = capture();
    const log = createLogger({ sink });
    for (let i = 0; i < 100 && writes.out.length === 0; i++) log.info("x".repeat(1024));
    expect(writes.out).toHaveLength(1);
    expect(writes.out[0]!.length).toBeGreaterThanOrEqual(64 * 1024);
  });

  it("writes what is still buffered when the process exits with process.exit()", async () => {
    const script = `import { bufferedStdoutSink } from "./src/adapters/node/stdout-sink.ts";
const sink = bufferedStdoutSink();
sink({ time: "t", level: "info", msg: "before exit" });
sink({ time: "t", level: "error", msg: "an error before exit" });
process.exit(0);`;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--conditions=skiff-source", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: process.cwd(), timeout: 20_000 },
    );
    expect(stdout).toBe('{"time":"t","level":"info","msg":"before exit"}\n');
    expect(stderr).toContain('{"time":"t","level":"error","msg":"an error before exit"}\n');
  });
});
