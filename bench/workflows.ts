import { runComparison, type SectionBuilder } from "./lib/report.js";
import { hasWorkflows, STEPS } from "./workflows/apps.js";
import { DbosFailure, startDbos, type DbosPeer } from "./workflows/dbos.js";
import { fanOut } from "./workflows/fanout.js";
import { stepOverhead } from "./workflows/overhead.js";
import { peers, type DbosOutcome } from "./workflows/peers.js";
import { fmt } from "./lib/stats.js";
import { table } from "./lib/table.js";

// Goal 6: what durability costs per workflow step against plain queue consumers doing the same work through the
// same libSQL queue, how fast a 1,000-way fan-out goes, on Node, and the same jobs on DBOS where Postgres runs here.
await runComparison("6. Workflows", async (out) => {
  if (!hasWorkflows()) {
    out.skip("workflows: per-step overhead and fan-out", "not available yet: `app.workflow` does not exist");
    return;
  }
  const started = await startDbos(STEPS);
  let peer: DbosPeer | undefined = "peer" in started ? started.peer : undefined;
  let outcome: DbosOutcome =
    "peer" in started
      ? { ran: started.peer.describe }
      : "missed" in started
        ? { missed: started.missed }
        : { skipped: started.skipped };
  // A DBOS failure mid-run costs only the DBOS rows: the measurement is redone without it, never the section.
  const withPeer = async <T>(measure: (p?: DbosPeer) => Promise<T>): Promise<T> => {
    if (!peer) return measure();
    try {
      return await measure(peer);
    } catch (error) {
      if (!(error instanceof DbosFailure)) throw error;
      outcome = { missed: `DBOS failed during the run: ${error.message}` };
      await peer.close().catch(() => {});
      peer = undefined;
      return measure();
    }
  };
  let compared = "";
  try {
    const steps = await withPeer((p) => stepOverhead(out, p));
    const fan = await withPeer((p) => fanOut(out, p));
    if (steps.dbos && fan.dbos) {
      versusDbos(out, steps, fan);
      compared =
        `skiff/DBOS ${fmt.ratio(steps.skiff.concurrent / steps.dbos.concurrent)} ms/step (100 jobs at once), ` +
        `${fmt.ratio(fan.stepsPerSecond / fan.dbos["DBOS child workflows (Postgres)"])} fan-out steps/s`;
    }
    out.note(
      `In one line: a workflow step costs ${fmt.ratio(steps.ratio)} the time of a step of a queue chain (100 jobs at once) and makes ${steps.writes.toFixed(1)} writes; ` +
        `a 1,000-way step.map runs ${fmt.int(fan.stepsPerSecond)} steps/s, ${fmt.ratio(fan.ratio)} the rate of 1,000 plain messages` +
        (steps.dbos
          ? `; against DBOS on Postgres, a step takes ${fmt.ratio(steps.skiff.concurrent / steps.dbos.concurrent)} the time (100 jobs at once).`
          : "."),
    );
    // The only hard requirement here; measure() throws unless every item ran once and the fan-in is in order.
    out.atLeast(
      "workflows: a 1,000-way step.map completes with a correct fan-in (Node)",
      fan.stepsPerSecond,
      Number.MIN_VALUE,
      `${fmt.int(fan.stepsPerSecond)} steps/s, ${fmt.ratio(fan.ratio)} a plain consumer`,
    );
  } finally {
    await peer?.close();
  }
  out.goals.push({
    goal: "workflows: compared with DBOS on Postgres in the same run",
    figure: "ran" in outcome ? compared : "missed" in outcome ? outcome.missed : outcome.skipped,
    verdict: "ran" in outcome ? "met" : "missed" in outcome ? "MISSED" : "not available yet",
  });
  peers(out, outcome);
});

type Steps = Awaited<ReturnType<typeof stepOverhead>>;
type Fan = Awaited<ReturnType<typeof fanOut>>;

/** skiff's workflow next to DBOS's, figure by figure, from the tables above (same run, alternating rounds). */
function versusDbos(out: SectionBuilder, steps: Steps, fan: Fan): void {
  const d = steps.dbos!;
  const s = steps.skiff;
  const fans = fan.dbos!;
  const children = fans["DBOS child workflows (Postgres)"];
  const inline = fans["DBOS steps, Promise.all (Postgres)"];
  out.add(
    table(
      ["skiff workflow vs DBOS workflow", "skiff (libSQL file)", "DBOS (Postgres)", "skiff / DBOS"],
      [
        [
          "ms/step, 100 jobs at once",
          fmt.ms(s.concurrent),
          fmt.ms(d.concurrent),
          fmt.ratio(s.concurrent / d.concurrent),
        ],
        [
          "ms/step, one job at a time",
          fmt.ms(s.sequential),
          fmt.ms(d.sequential),
          fmt.ratio(s.sequential / d.sequential),
        ],
        [
          "statements/step",
          s.counts.statements.toFixed(1),
          d.counts.statements.toFixed(1),
          fmt.ratio(s.counts.statements / d.counts.statements),
        ],
        [
          "writes/step",
          s.counts.writes.toFixed(1),
          d.counts.writes.toFixed(1),
          fmt.ratio(s.counts.writes / d.counts.writes),
        ],
        [
          "1,000-way fan-out, steps/s (DBOS: child workflows)",
          fmt.int(fan.stepsPerSecond),
          fmt.int(children),
          fmt.ratio(fan.stepsPerSecond / children),
        ],
        [
          "1,000-way fan-out, steps/s (DBOS: steps of one workflow)",
          fmt.int(fan.stepsPerSecond),
          fmt.int(inline),
          fmt.ratio(fan.stepsPerSecond / inline),
        ],
      ],
      ["l", "r", "r", "r"],
    ),
  );
  out.note(
    "Ratios are skiff over DBOS: under 1× is faster (ms) or fewer (statements, writes) for skiff, over 1× is faster for skiff (steps/s). " +
      "Both durable alike: the libSQL file in WAL mode at SQLite's default synchronous=FULL (a commit syncs the WAL), Postgres at its defaults (fsync and synchronous_commit on).",
  );
}
