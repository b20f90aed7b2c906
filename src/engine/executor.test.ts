import { z } from "zod";
import { describe, expect, it } from "vitest";
import { StepError } from "./errors";
import { executeRun, type ExecuteOptions } from "./executor";
import { catalogOf, chargeTrigger, fakeAction, graphOf, samplePayload } from "./testing";
import type { NodeDefinition, StepResult, WorkflowGraph } from "./types";

const T0 = new Date("2024-05-01T10:00:00.000Z");

/** Options with a fixed clock, recorded sleeps and no real waiting. */
function harness(graph: WorkflowGraph, definitions: NodeDefinition[], overrides: Partial<ExecuteOptions> = {}) {
  const sleeps: number[] = [];
  const events: StepResult[] = [];
  const options: ExecuteOptions = {
    graph,
    catalog: catalogOf(chargeTrigger, ...definitions),
    runId: "run_1",
    userId: "user_1",
    trigger: samplePayload,
    getCredentials: async () => ({ accessToken: "token" }),
    now: () => T0,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onStep: (step) => {
      events.push(step);
    },
    ...overrides,
  };
  return { options, sleeps, events, run: (more: Partial<ExecuteOptions> = {}) => executeRun({ ...options, ...more }) };
}

const statuses = (steps: StepResult[]) => steps.map((step) => `${step.nodeId}:${step.status}`);

describe("executeRun: order and data", () => {
  it("runs steps in topological order, ties broken by node order, passing outputs along", async () => {
    const order: string[] = [];
    const echo = fakeAction(async (input, ctx) => {
      order.push(ctx.nodeId);
      return { id: `${ctx.nodeId}-out`, input };
    });
    const graph = graphOf(
      [
        ["d", "test.action", { from: "{{steps.b.id}}+{{steps.c.id}}" }],
        ["c", "test.action", { amount: "{{trigger.data.object.amount}}" }],
        ["t", "test.charge"],
        ["b", "test.action", { customer: "{{trigger.data.object.customer}}" }],
      ],
      [
        ["t", "b"],
        ["t", "c"],
        ["b", "d"],
        ["c", "d"],
      ],
    );
    const { run } = harness(graph, [echo.definition]);
    const result = await run();
    expect(result.status).toBe("succeeded");
    expect(order).toEqual(["c", "b", "d"]);
    expect(statuses(result.steps)).toEqual(["t:succeeded", "c:succeeded", "b:succeeded", "d:succeeded"]);
    expect(result.steps[0]?.output).toBe(samplePayload);
    expect(echo.calls.map((call) => call.input)).toEqual([{ amount: 1234 }, { customer: "cus_9" }, { from: "b-out+c-out" }]);
    expect(result.steps[3]).toEqual({
      nodeId: "d",
      status: "succeeded",
      input: { from: "b-out+c-out" },
      output: { id: "d-out", input: { from: "b-out+c-out" } },
      attempts: 1,
      startedAt: T0,
      finishedAt: T0,
    });
  });

  it("reports start and settle of every step to onStep, in order", async () => {
    const { run, events } = harness(graphOf([["t", "test.charge"], ["a", "test.action"]], [["t", "a"]]), [fakeAction().definition]);
    await run();
    expect(statuses(events)).toEqual(["t:running", "t:succeeded", "a:running", "a:succeeded"]);
  });
});

describe("executeRun: branching", () => {
  const condition = (right: number) => ["c", "core.condition", { rules: [{ left: "{{trigger.data.object.amount}}", operator: "gt", right }] }] as const;
  const graph = (right: number) =>
    graphOf(
      [["t", "test.charge"], [...condition(right)], ["yes", "test.action"], ["no", "test.action"], ["afterNo", "test.action"], ["join", "test.action", { via: "{{steps.c.result}}" }]],
      [
        ["t", "c"],
        ["c", "yes", "true"],
        ["c", "no", "false"],
        ["no", "afterNo"],
        ["yes", "join"],
        ["afterNo", "join"],
      ],
    );

  it("follows the true branch, skips the false one (and its descendants), and joins", async () => {
    const action = fakeAction();
    const result = await harness(graph(1000), [action.definition]).run();
    expect(result.status).toBe("succeeded");
    expect(statuses(result.steps)).toEqual(["t:succeeded", "c:succeeded", "yes:succeeded", "no:skipped", "afterNo:skipped", "join:succeeded"]);
    expect(result.steps[1]).toMatchObject({ input: { mode: "all", rules: [{ left: 1234, operator: "gt", right: 1000 }] }, output: { result: true } });
    expect(action.calls.map((call) => call.ctx.nodeId)).toEqual(["yes", "join"]);
    expect(action.calls[1]?.input).toEqual({ via: true });
  });

  it("follows the false branch when the condition is false", async () => {
    const action = fakeAction();
    const result = await harness(graph(5000), [action.definition]).run();
    expect(statuses(result.steps)).toEqual(["t:succeeded", "c:succeeded", "yes:skipped", "no:succeeded", "afterNo:succeeded", "join:succeeded"]);
  });

  it("skips a step whose only parents were skipped, and a missing reference to a skipped step fails clearly", async () => {
    const g = graphOf(
      [["t", "test.charge"], [...condition(5000)], ["yes", "test.action"], ["uses", "test.action", { x: "{{steps.yes.id}}" }]],
      [
        ["t", "c"],
        ["c", "yes", "true"],
        ["c", "uses", "false"],
      ],
    );
    const result = await harness(g, [fakeAction().definition]).run();
    expect(result.status).toBe("failed");
    expect(result.error).toEqual({ nodeId: "uses", code: "template", message: 'No value for {{steps.yes.id}}: step "yes" has no output (it was skipped or has not run)' });
  });
});

describe("executeRun: step failures", () => {
  it("fails on a missing template value without calling the action", async () => {
    const action = fakeAction();
    const graph = graphOf([["t", "test.charge"], ["a", "test.action", { text: "Hi {{trigger.data.object.nickname}}" }], ["b", "test.action"]], [["t", "a"], ["a", "b"]]);
    const result = await harness(graph, [action.definition]).run();
    expect(result.status).toBe("failed");
    expect(result.error).toEqual({ nodeId: "a", code: "template", message: 'No value for {{trigger.data.object.nickname}}: trigger.data.object has no "nickname"' });
    expect(result.steps[1]).toMatchObject({ status: "failed", attempts: 0, error: { code: "template", retryable: false } });
    expect(statuses(result.steps)).toEqual(["t:succeeded", "a:failed"]);
    expect(action.calls).toHaveLength(0);
  });

  it("validates the resolved input against the config schema and names the field", async () => {
    const action = fakeAction(undefined, { configSchema: z.object({ to: z.string().email(), count: z.number() }) });
    const graph = graphOf([["t", "test.charge"], ["a", "test.action", { to: "{{trigger.data.object.customer}}", count: "{{trigger.data.object.currency}}" }]], [["t", "a"]]);
    const result = await harness(graph, [action.definition]).run();
    expect(result.error).toEqual({ nodeId: "a", code: "validation", message: "to: Invalid email address; count: Invalid input: expected number, received string" });
    expect(result.steps[1]?.input).toEqual({ to: "cus_9", count: "usd" });
    expect(action.calls).toHaveLength(0);
  });

  it("passes the parsed input (defaults applied) to the action", async () => {
    const action = fakeAction(undefined, { configSchema: z.object({ text: z.string(), channel: z.string().default("#general") }) });
    await harness(graphOf([["t", "test.charge"], ["a", "test.action", { text: "x" }]], [["t", "a"]]), [action.definition]).run();
    expect(action.calls[0]?.input).toEqual({ text: "x", channel: "#general" });
  });

  it("fails the run with a clear error for unrunnable graphs", async () => {
    const action = fakeAction();
    const loop = graphOf([["t", "test.charge"], ["a", "test.action"], ["b", "test.action"]], [["t", "a"], ["a", "b"], ["b", "a"]]);
    expect(await harness(loop, [action.definition]).run()).toEqual({ status: "failed", steps: [], error: { nodeId: "a", code: "validation", message: "The workflow has a loop" } });
    const unknown = graphOf([["t", "test.charge"], ["x", "foo.bar"]], [["t", "x"]]);
    expect((await harness(unknown, []).run()).error).toEqual({ nodeId: "x", code: "validation", message: 'Unknown node type "foo.bar"' });
    const noTrigger = graphOf([["a", "test.action"]], []);
    expect((await harness(noTrigger, [action.definition]).run()).error?.message).toBe("A workflow needs exactly one trigger (found 0)");
  });

  it("reports an invalid condition when the condition is reached", async () => {
    const graph = graphOf([["t", "test.charge"], ["c", "core.condition", { rules: [] }]], [["t", "c"]]);
    expect((await harness(graph, []).run()).error).toEqual({ nodeId: "c", code: "validation", message: "rules: Add at least one rule" });
  });
});

describe("executeRun: retries and timeouts", () => {
  const single = graphOf([["t", "test.charge"], ["a", "test.action"]], [["t", "a"]]);

  function flaky(errors: StepError[]) {
    let call = 0;
    return fakeAction(async () => {
      const error = errors[call++];
      if (error) throw error;
      return { ok: true };
    });
  }

  it("retries 5xx with exponential backoff and full jitter, keeping the idempotency key", async () => {
    const action = flaky([new StepError("server", "HTTP 503", { status: 503 }), new StepError("server", "HTTP 503", { status: 503 })]);
    const { run, sleeps, events } = harness(single, [action.definition], { retry: { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 } });
    const result = await run();
    expect(result.status).toBe("succeeded");
    expect(result.steps[1]).toMatchObject({ status: "succeeded", attempts: 3 });
    expect(sleeps).toEqual([250, 500]);
    expect(action.calls.map((call) => [call.ctx.attempt, call.ctx.idempotencyKey])).toEqual([
      [1, "run_1:a"],
      [2, "run_1:a"],
      [3, "run_1:a"],
    ]);
    expect(events.filter((step) => step.nodeId === "a").map((step) => [step.status, step.attempts, step.error?.code])).toEqual([
      ["running", 1, undefined],
      ["running", 1, "server"],
      ["running", 2, "server"],
      ["succeeded", 3, undefined],
    ]);
  });

  it("caps the backoff at maxDelayMs", async () => {
    const errors = Array.from({ length: 5 }, () => new StepError("network", "ECONNRESET"));
    // Every wait slept in the worker, to see the schedule itself.
    const inline = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 5000, maxInlineWaitMs: Infinity };
    const { run, sleeps } = harness(single, [flaky(errors).definition], { random: () => 1, retry: inline });
    await run();
    expect(sleeps).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it("honours Retry-After on 429 when it is longer than the backoff", async () => {
    const action = flaky([new StepError("rate_limited", "HTTP 429", { status: 429, retryAfterMs: 900 }), new StepError("rate_limited", "HTTP 429", { status: 429, retryAfterMs: 10 })]);
    const { run, sleeps } = harness(single, [action.definition]);
    expect((await run()).status).toBe("succeeded");
    expect(sleeps).toEqual([900, 500]);
  });

  describe("a retry wait longer than maxInlineWaitMs", () => {
    const rateLimited = (retryAfterMs: number) => new StepError("rate_limited", "HTTP 429", { status: 429, retryAfterMs });

    it("parks the run waiting, records the step with its attempts and last error, and holds no sleep", async () => {
      const action = flaky([rateLimited(30_000)]);
      const { run, sleeps, events } = harness(single, [action.definition]);
      const result = await run();
      expect(result).toMatchObject({ status: "waiting", resumeAt: new Date(T0.getTime() + 30_000) });
      expect(sleeps).toEqual([]);
      expect(result.steps[1]).toMatchObject({
        nodeId: "a",
        status: "waiting",
        attempts: 1,
        resumeAt: new Date(T0.getTime() + 30_000),
        error: { code: "rate_limited", message: "HTTP 429", retryable: true },
      });
      expect(events.at(-1)).toMatchObject({ nodeId: "a", status: "waiting", attempts: 1 });
    });

    it("resumes from that step at resumeAt with the next attempt, without repeating earlier steps", async () => {
      const echo = fakeAction();
      const action = flaky([rateLimited(30_000)]);
      action.definition.type = "test.flaky";
      const graph = graphOf([["t", "test.charge"], ["e", "test.action"], ["a", "test.flaky"]], [["t", "e"], ["e", "a"]]);
      const { run } = harness(graph, [echo.definition, action.definition]);
      const first = await run();
      expect(first.status).toBe("waiting");
      // Too early: still waiting, nothing called.
      const early = await run({ previous: first.steps, now: () => new Date(T0.getTime() + 10_000) });
      expect(early).toMatchObject({ status: "waiting", resumeAt: first.resumeAt });
      expect(action.calls).toHaveLength(1);
      const later = new Date(T0.getTime() + 30_000);
      const resumed = await run({ previous: first.steps, now: () => later });
      expect(resumed.status).toBe("succeeded");
      expect(echo.calls).toHaveLength(1);
      expect(action.calls.map((call) => call.ctx.attempt)).toEqual([1, 2]);
      expect(resumed.steps.find((s) => s.nodeId === "a")).toMatchObject({ status: "succeeded", attempts: 2, startedAt: T0, finishedAt: later });
    });

    it("still gives up after maxAttempts counted across resumptions", async () => {
      const action = fakeAction(async () => {
        throw rateLimited(60_000);
      });
      const { run } = harness(single, [action.definition]);
      let result = await run();
      for (let i = 1; result.status === "waiting" && i < 10; i++) {
        result = await run({ previous: result.steps, now: () => new Date(T0.getTime() + i * 60_000) });
      }
      expect(result).toMatchObject({ status: "failed", error: { code: "rate_limited" } });
      expect(result.steps[1]).toMatchObject({ status: "failed", attempts: 3 });
      expect(action.calls).toHaveLength(3);
    });

    it("sleeps short waits in the worker as before", async () => {
      const action = flaky([rateLimited(1_000)]);
      const { run, sleeps } = harness(single, [action.definition]);
      expect((await run()).status).toBe("succeeded");
      expect(sleeps).toEqual([1_000]);
    });
  });

  it("gives up after maxAttempts with the last error", async () => {
    const action = fakeAction(async () => {
      throw new StepError("server", "HTTP 502", { status: 502 });
    });
    const result = await harness(single, [action.definition]).run();
    expect(result).toMatchObject({ status: "failed", error: { nodeId: "a", code: "server", message: "HTTP 502" } });
    expect(result.steps[1]).toMatchObject({ status: "failed", attempts: 3, error: { code: "server", retryable: true, message: "HTTP 502" } });
    expect(action.calls).toHaveLength(3);
  });

  it.each([
    ["client", 400],
    ["auth", 401],
  ] as const)("does not retry %s errors (HTTP %i)", async (code, status) => {
    const action = fakeAction(async () => {
      throw new StepError(code, `HTTP ${status}`, { status });
    });
    const { run, sleeps } = harness(single, [action.definition]);
    const result = await run();
    expect(result.error).toEqual({ nodeId: "a", code, message: `HTTP ${status}` });
    expect(action.calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("treats unknown thrown errors as permanent", async () => {
    const action = fakeAction(async () => {
      throw new TypeError("cannot read x of undefined");
    });
    const result = await harness(single, [action.definition]).run();
    expect(result.error).toEqual({ nodeId: "a", code: "client", message: "cannot read x of undefined" });
    expect(action.calls).toHaveLength(1);
  });

  it("times out a hanging step, aborting its signal, and retries it", async () => {
    const signals: AbortSignal[] = [];
    const action = fakeAction((_input, ctx) => {
      signals.push(ctx.signal);
      return new Promise(() => undefined);
    });
    const result = await harness(single, [action.definition], { stepTimeoutMs: 20, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).run();
    expect(result.error).toEqual({ nodeId: "a", code: "timeout", message: "The step did not finish within 20 ms" });
    expect(result.steps[1]).toMatchObject({ attempts: 2, error: { retryable: true } });
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
  });
});

describe("executeRun: resume and replay", () => {
  it("reuses succeeded steps from a failed attempt and re-runs from the failed step", async () => {
    let failNext = true;
    const first = fakeAction(async () => ({ id: "A" }), { type: "test.first" });
    const second = fakeAction(async (input) => {
      if (failNext) throw new StepError("client", "HTTP 400");
      return { got: input };
    }, { type: "test.second" });
    const graph = graphOf([["t", "test.charge"], ["a", "test.first"], ["b", "test.second", { from: "{{steps.a.id}}" }]], [["t", "a"], ["a", "b"]]);
    const { run } = harness(graph, [first.definition, second.definition]);

    const failed = await run();
    expect(statuses(failed.steps)).toEqual(["t:succeeded", "a:succeeded", "b:failed"]);

    failNext = false;
    const previous = failed.steps.filter((step) => step.status !== "failed");
    const replayed = await run({ previous, trigger: { different: true } });
    expect(replayed.status).toBe("succeeded");
    expect(first.calls).toHaveLength(1);
    expect(second.calls.map((call) => call.ctx.idempotencyKey)).toEqual(["run_1:b", "run_1:b"]);
    expect(replayed.steps[0]).toBe(previous[0]);
    expect(replayed.steps[1]).toBe(previous[1]);
    expect(replayed.steps[2]).toMatchObject({ status: "succeeded", output: { got: { from: "A" } } });
  });

  it("re-runs a step left running by a crashed worker and reuses skipped steps", async () => {
    const action = fakeAction();
    const graph = graphOf([["t", "test.charge"], ["a", "test.action"], ["b", "test.action"]], [["t", "a"], ["t", "b"]]);
    const previous: StepResult[] = [
      { nodeId: "t", status: "succeeded", output: samplePayload, attempts: 1 },
      { nodeId: "a", status: "skipped", attempts: 0 },
      { nodeId: "b", status: "running", attempts: 1, startedAt: T0 },
    ];
    const result = await harness(graph, [action.definition]).run({ previous });
    expect(statuses(result.steps)).toEqual(["t:succeeded", "a:skipped", "b:succeeded"]);
    expect(action.calls.map((call) => call.ctx.nodeId)).toEqual(["b"]);
  });
});

describe("executeRun: delays", () => {
  const graph = graphOf(
    [["t", "test.charge"], ["wait", "core.delay", { amount: "{{trigger.data.object.metadata.order}}", unit: "minutes" }], ["after", "test.action"], ["parallel", "test.action"]],
    [
      ["t", "wait"],
      ["wait", "after"],
      ["t", "parallel"],
    ],
  );

  it("parks the run at a delay, runs independent branches, and resumes when due", async () => {
    const action = fakeAction();
    const { run } = harness(graph, [action.definition]);
    const resumeAt = new Date(T0.getTime() + 42 * 60_000);

    const parked = await run();
    expect(parked.status).toBe("waiting");
    expect(parked.resumeAt).toEqual(resumeAt);
    expect(statuses(parked.steps)).toEqual(["t:succeeded", "wait:waiting", "parallel:succeeded"]);
    expect(parked.steps[1]).toMatchObject({ input: { amount: 42, unit: "minutes" }, resumeAt, startedAt: T0 });
    expect(action.calls.map((call) => call.ctx.nodeId)).toEqual(["parallel"]);

    const early = await run({ previous: parked.steps, now: () => new Date(resumeAt.getTime() - 1) });
    expect(early.status).toBe("waiting");
    expect(early.resumeAt).toEqual(resumeAt);
    expect(action.calls).toHaveLength(1);

    const resumed = await run({ previous: parked.steps, now: () => resumeAt });
    expect(resumed.status).toBe("succeeded");
    expect(statuses(resumed.steps)).toEqual(["t:succeeded", "wait:succeeded", "after:succeeded", "parallel:succeeded"]);
    expect(resumed.steps[1]).toMatchObject({ output: { resumedAt: resumeAt.toISOString() }, startedAt: T0, finishedAt: resumeAt });
    expect(action.calls.map((call) => call.ctx.nodeId)).toEqual(["parallel", "after"]);
  });

  it("fails a delay whose templated amount is invalid", async () => {
    const g = graphOf([["t", "test.charge"], ["wait", "core.delay", { amount: "{{trigger.data.object.currency}}", unit: "days" }]], [["t", "wait"]]);
    expect((await harness(g, []).run()).error).toEqual({ nodeId: "wait", code: "validation", message: "amount: Invalid input: expected number, received string" });
  });
});

describe("executeRun: dry runs", () => {
  it("calls preview instead of run and does not wait at delays", async () => {
    const action = fakeAction(async () => ({ sent: true }), { preview: async (input, ctx) => ({ wouldSend: input, key: ctx.idempotencyKey }) });
    const bare = fakeAction(async () => ({ sent: true }), { type: "test.bare" });
    const graph = graphOf(
      [["t", "test.charge"], ["wait", "core.delay", { amount: 1, unit: "days" }], ["a", "test.action", { text: "{{trigger.id}}" }], ["b", "test.bare", { n: 1 }]],
      [["t", "wait"], ["wait", "a"], ["a", "b"]],
    );
    const result = await harness(graph, [action.definition, bare.definition]).run({ dryRun: true });
    expect(result.status).toBe("succeeded");
    // Actions record what they would send and pass their sample output on to later steps.
    expect(result.steps.map((step) => step.output)).toEqual([
      samplePayload,
      { resumedAt: "2024-05-02T10:00:00.000Z" },
      action.definition.sample,
      bare.definition.sample,
    ]);
    expect(result.steps.map((step) => step.preview)).toEqual([
      undefined,
      undefined,
      { wouldSend: { text: "evt_1" }, key: "run_1:a" },
      { n: 1 },
    ]);
    expect(action.calls).toHaveLength(0);
    expect(bare.calls).toHaveLength(0);
  });
});

describe("executeRun: cancellation", () => {
  const graph = graphOf([["t", "test.charge"], ["a", "test.action"], ["b", "test.action"]], [["t", "a"], ["a", "b"]]);

  it("aborts the running step and stops the run", async () => {
    const controller = new AbortController();
    const action = fakeAction((_input, ctx) => {
      setTimeout(() => controller.abort(), 5);
      return new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    });
    const result = await harness(graph, [action.definition]).run({ signal: controller.signal });
    expect(result.status).toBe("cancelled");
    expect(result.error).toEqual({ nodeId: "a", code: "cancelled", message: "The run was cancelled" });
    expect(statuses(result.steps)).toEqual(["t:succeeded", "a:failed"]);
    expect(action.calls).toHaveLength(1);
  });

  it("stops during a retry backoff", async () => {
    const controller = new AbortController();
    const action = fakeAction(async () => {
      throw new StepError("server", "HTTP 500");
    });
    const result = await harness(graph, [action.definition], {
      signal: controller.signal,
      sleep: async () => {
        controller.abort();
        throw new Error("aborted");
      },
    }).run();
    expect(result.status).toBe("cancelled");
    expect(action.calls).toHaveLength(1);
  });

  it("does nothing when cancelled before it starts", async () => {
    const action = fakeAction();
    expect(await harness(graph, [action.definition]).run({ signal: AbortSignal.abort() })).toEqual({ status: "cancelled", steps: [] });
    expect(action.calls).toHaveLength(0);
  });
});

describe("executeRun: transform", () => {
  it("builds new fields from the trigger with helpers, keeps a lone reference's type, and feeds later steps", async () => {
    const echo = fakeAction(async (input) => ({ id: "out", input }));
    const graph = graphOf(
      [
        ["t", "test.charge"],
        [
          "x",
          "core.transform",
          {
            fields: {
              customer: "{{trigger.data.object.customer | upper}}",
              amount: "{{ trigger.data.object.amount | money: trigger.data.object.currency }}",
              cents: "{{trigger.data.object.amount}}",
              note: "Order {{trigger.data.object.metadata.order}}",
              fixed: 7,
            },
          },
        ],
        ["a", "test.action", { summary: "{{steps.x.customer}} owes {{steps.x.amount}} ({{steps.x.cents}})" }],
      ],
      [
        ["t", "x"],
        ["x", "a"],
      ],
    );
    const { run } = harness(graph, [echo.definition]);
    const result = await run();
    expect(result.status).toBe("succeeded");
    const transform = result.steps.find((step) => step.nodeId === "x");
    expect(transform).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(transform?.output).toEqual({ customer: "CUS_9", amount: "$12.34", cents: 1234, note: "Order 42", fixed: 7 });
    expect(echo.calls[0]?.input).toMatchObject({ summary: "CUS_9 owes $12.34 (1234)" });
  });

  it("fails on a missing value without retrying and without running later steps", async () => {
    const echo = fakeAction(async () => ({ id: "out" }));
    const graph = graphOf(
      [
        ["t", "test.charge"],
        ["x", "core.transform", { fields: { email: "{{trigger.data.object.receipt_email}}" } }],
        ["a", "test.action", { summary: "{{steps.x.email}}" }],
      ],
      [
        ["t", "x"],
        ["x", "a"],
      ],
    );
    const { run, sleeps } = harness(graph, [echo.definition]);
    const result = await run();
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ nodeId: "x", code: "template" });
    expect(result.error?.message).toContain("trigger.data.object.receipt_email");
    expect(sleeps).toEqual([]);
    expect(echo.calls).toHaveLength(0);
  });
});
