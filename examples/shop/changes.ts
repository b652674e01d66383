import { ProblemError, Skiff } from "skiff";

/**
 * The seed's database trigger ("react to database changes"), on every platform: each user inserted into `users`
 * (by `POST /api/users`, a script, another service writing the same database) gets a welcome note, written by a
 * change handler rather than by the route, so no code path that creates a user can forget it. The note is keyed by
 * user id, so a change delivered twice (delivery is at least once) writes the same note again. Mount it in the shop
 * with `app.route("/", userChanges)`; the shop's migrations create `users` before the trigger is created.
 *
 *   curl -X POST -H "content-type: application/json" -d '{"email":"ada@example.com","name":"Ada"}' localhost:8787/api/users
 *   curl localhost:8787/api/users/1/welcome
 */
export const userChanges = new Skiff();

/** What the welcome handler records for a new user (in a real shop: the welcome email it sent). */
export interface WelcomeNote {
  userId: number;
  email: string;
  text: string;
  changeId: number;
}

userChanges.onChange<{ id: number; email: string; name: string }>(
  "users",
  "insert",
  async (change, ctx) => {
    const user = change.row;
    if (!user) return;
    const note: WelcomeNote = {
      userId: user.id,
      email: user.email,
      text: `Welcome to the shop, ${user.name}!`,
      changeId: change.changeId,
    };
    await ctx.kv.put(`welcome:${user.id}`, JSON.stringify(note));
    ctx.log.info("welcome note written", { userId: user.id });
  },
  // The relay after each request does the work; its backstop cron runs daily so the shop deploys on Vercel Hobby
  // (crons at most daily), like its workflow timers: a change written outside a request waits for it.
  { name: "welcome", maxRetries: 5, relayCron: "0 0 * * *" },
);

userChanges.get("/api/users/:id/welcome", async (c) => {
  const note = await c.var.kv.get<WelcomeNote>(`welcome:${c.req.param("id")}`, "json");
  if (!note)
    throw new ProblemError(404, {
      detail: "no welcome note for this user (yet: it follows the insert shortly)",
    });
  return c.json(note);
});
