import vm from "node:vm";
import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { createTestRuntime } from "skiff/testing";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a suspended replay", () => {
  it("lets go of the handler: nothing keeps the frame of a handler that suspended (long-lived processes)", async () => {
    const app = new Skiff({ workflows: { w: z.object({}) } });
    const refs: WeakRef<object>[] = [];
    app.workflow("w", async (_e, step) => {
      const state = { big: "x".repeat(1000) }; // lives in the handler's frame until the handler ends
      refs.push(new WeakRef(state));
      await step.sleep("nap", "1 hour");
      await step.waitForEvent("go", { type: "go" });
      return state.big.length;
    });
    const t = createTestRuntime(app);
    const { id } = await t.runtime.workflows.w!.start({});
    await t.runWorkflows(); // suspends on the sleep
    await t.advanceTime(3_600_000);
    await t.runWorkflows(); // suspends on the event
    expect(refs).toHaveLength(2);
    for (let i = 0; i < 3; i++) {
      await macrotask();
      gc();
    }
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true]);
    await t.runtime.workflows.w!.sendEvent(id, { type: "go" });
    await t.runWorkflows();
    expect(await t.runtime.workflows.w!.get(id)).toMatchObject({ status: "completed", output: 1000 });
  });
});
