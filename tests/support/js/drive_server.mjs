// Drives a running supportgraph server with @langchain/langgraph-sdk, the way browser clients
// (agent-chat-ui, useStream) use it. Usage: node drive_server.mjs <server url>
// Prints one line per check; exits 1 at the first check that fails.
import { Client } from "@langchain/langgraph-sdk";

const url = process.argv[2];
const client = new Client({ apiUrl: url });
const FAQ = "How do I reset my voicemail PIN?";
const TICKET = "My landline has crackling noise on every call since the storm.";
const REFUND = "Please refund the $10 late fee on my June invoice";

const user = (text, customer = "C-1001") => ({
  messages: [{ role: "user", content: text }],
  customer_id: customer,
});

function check(condition, what, detail) {
  if (!condition) {
    console.error(`FAIL ${what}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
    process.exit(1);
  }
}

async function step(name, body) {
  await body();
  console.log(`ok ${name}`);
}

async function collect(stream) {
  const parts = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const idOrder = (a, b) => {
  const [am, as] = a.split("-").map(Number);
  const [bm, bs] = b.split("-").map(Number);
  return am - bm || as - bs;
};

let threadId;

await step("assistants search and count", async () => {
  const found = await client.assistants.search({ graphId: "support" });
  check(found.length === 1 && found[0].graph_id === "support", "one support assistant", found);
  check((await client.assistants.count({ graphId: "support" })) === 1, "assistants.count");
});

await step("runs.wait", async () => {
  threadId = (await client.threads.create({ metadata: { suite: "js" } })).thread_id;
  const done = await client.runs.wait(threadId, "support", { input: user(FAQ) });
  check(done.status === "faq_answered", "faq answered", done.status);
});

const modes = {
  values: (events) => events.includes("values"),
  updates: (events) => events.includes("updates"),
  "messages-tuple": (events) => events.includes("messages"),
  messages: (events) => events.includes("messages/metadata"),
  custom: (events) => events.some((e) => e.startsWith("custom|triage:")),
  debug: (events) => events.includes("debug"),
  tasks: (events) => events.includes("tasks"),
  checkpoints: (events) => events.includes("checkpoints"),
  events: (events) => events.includes("events"),
};
for (const [mode, saw] of Object.entries(modes)) {
  await step(`runs.stream ${mode}`, async () => {
    const thread = (await client.threads.create()).thread_id;
    const parts = await collect(
      client.runs.stream(thread, "support", {
        input: user(mode === "custom" ? TICKET : FAQ),
        streamMode: mode,
        streamSubgraphs: mode === "custom",
      }),
    );
    const events = parts.map((p) => p.event);
    check(events[0] === "metadata", `${mode}: metadata first`, events);
    check(!events.includes("error"), `${mode}: no error`, parts.find((p) => p.event === "error"));
    check(saw(events), `${mode}: its events`, [...new Set(events)]);
  });
}

await step("join a stream after disconnect", async () => {
  const thread = (await client.threads.create()).thread_id;
  const abort = new AbortController();
  const seen = [];
  try {
    for await (const part of client.runs.stream(thread, "support", {
      input: user(TICKET),
      streamMode: ["values", "updates"],
      streamResumable: true,
      onDisconnect: "continue",
      signal: abort.signal,
    })) {
      seen.push(part);
      if (seen.length === 3) abort.abort();
    }
  } catch (error) {
    check(error.name === "AbortError" || abort.signal.aborted, "the client went away", String(error));
  }
  check(seen.length === 3 && seen.every((p) => p.id), "three events with ids", seen);
  const runId = seen[0].data.run_id;
  const rest = await collect(
    client.runs.joinStream(thread, runId, { lastEventId: seen[2].id }),
  );
  check(rest.length > 0, "events after the last one seen");
  check(idOrder(rest[0].id, seen[2].id) > 0, "the join starts after Last-Event-ID", rest[0].id);
  const last = rest.filter((p) => p.event === "values").at(-1);
  check(last?.data.status === "ticket_created", "the run finished", last?.data.status);
  const replay = await collect(client.runs.joinStream(thread, runId, { lastEventId: "-1" }));
  check(
    JSON.stringify(replay.map((p) => p.id)) === JSON.stringify([...seen, ...rest].map((p) => p.id)),
    "a full replay is what the two halves saw",
  );
});

await step("interrupt, then approve via decisions", async () => {
  const thread = (await client.threads.create()).thread_id;
  const paused = await client.runs.wait(thread, "support", { input: user(REFUND, "C-1006") });
  const [pending] = paused.__interrupt__;
  check(pending.value.action_requests[0].name === "request_refund", "a HITL request", pending);
  check(
    pending.value.review_configs[0].allowed_decisions.join() === "approve,edit,reject",
    "approve, edit and reject allowed",
  );
  const state = await client.threads.getState(thread);
  check(state.tasks.some((t) => t.interrupts.length), "the state shows the interrupt");
  const done = await client.runs.wait(thread, "support", {
    input: {},
    command: { resume: { decisions: [{ type: "approve" }] } },
  });
  check(done.status === "resolved" && !done.__interrupt__, "approved and resolved", done.status);
});

await step("history with before as a Checkpoint and as a config", async () => {
  await client.runs.wait(threadId, "support", { input: user(FAQ) });
  const everything = await client.threads.getHistory(threadId, { limit: 100 });
  check(everything.length > 4, "per-step checkpoints", everything.length);
  const head = everything[0].checkpoint;
  const expected = everything.slice(1, 4).map((s) => s.checkpoint.checkpoint_id);
  for (const before of [head, { configurable: head }]) {
    const page = await client.threads.getHistory(threadId, { limit: 3, before });
    check(
      JSON.stringify(page.map((s) => s.checkpoint.checkpoint_id)) === JSON.stringify(expected),
      "the page after before",
      before,
    );
  }
});

await step("threads.copy", async () => {
  const copy = await client.threads.copy(threadId);
  check(copy.thread_id !== threadId && copy.metadata.suite === "js", "a new thread", copy);
  const original = await client.threads.getHistory(threadId, { limit: 100 });
  const copied = await client.threads.getHistory(copy.thread_id, { limit: 100 });
  check(copied.length === original.length, "the whole history", [copied.length, original.length]);
});

await step("threads.count and search by graph_id", async () => {
  const count = await client.threads.count({ metadata: { suite: "js" } });
  check(count === 2, "the thread and its copy", count);
  const found = await client.threads.search({ metadata: { graph_id: "support" }, limit: 100 });
  check(found.some((t) => t.thread_id === threadId), "found by graph_id");
  check(found[0].values?.messages?.length > 0, "with its messages, for the history list");
});

console.log("all checks passed");
