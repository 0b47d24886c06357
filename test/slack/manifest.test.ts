import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The bot scope each Web API method needs (docs.slack.dev, method reference). */
const METHOD_SCOPES: Record<string, string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "conversations.info": ["channels:read", "groups:read"],
  "conversations.history": ["channels:history", "groups:history"],
  "conversations.replies": ["channels:history", "groups:history"],
  "files.uploadV2": ["files:write"],
  "files.info": ["files:read"],
  "views.open": [],
  "views.publish": [],
  "assistant.threads.setStatus": ["assistant:write"],
  "assistant.threads.setSuggestedPrompts": ["assistant:write"],
};
/** Bolt's Assistant utilities, and the Web API method each one calls with the app's token. */
const UTILITY_METHODS: Record<string, string> = {
  setStatus: "assistant.threads.setStatus",
  setSuggestedPrompts: "assistant.threads.setSuggestedPrompts",
  setTitle: "assistant.threads.setTitle",
};
/** Events the listeners handle, as manifest subscriptions, with the scope each subscription needs. */
const EVENT_SUBSCRIPTIONS: Record<string, Record<string, string[]>> = {
  app_home_opened: { app_home_opened: [] },
  app_mention: { app_mention: ["app_mentions:read"] },
  message: {
    "message.channels": ["channels:history"],
    "message.groups": ["groups:history"],
    "message.im": ["im:history"],
  },
  // Bolt's Assistant: a new split-view thread, and the person's messages in it (DMs).
  assistant_thread_started: { assistant_thread_started: ["assistant:write"] },
};

const Manifest = z.object({
  display_information: z.object({
    name: z.string(),
    description: z.string().max(140),
    long_description: z.string().min(175),
  }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.literal(true),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    assistant_view: z.object({ assistant_description: z.string().min(1) }).optional(),
    bot_user: z.object({ display_name: z.string().min(1) }),
    slash_commands: z.array(
      z.object({ command: z.string(), description: z.string(), usage_hint: z.string() }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true) }),
    socket_mode_enabled: z.literal(true),
  }),
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [readFileSync(join(dir, e.name), "utf8")]
        : [],
  );
}

describe("manifest.yml", () => {
  const manifest = Manifest.parse(load(readFileSync(join(ROOT, "manifest.yml"), "utf8")));
  const code = sources(join(ROOT, "src/slack")).join("\n");
  const eventsIndex = readFileSync(join(ROOT, "src/slack/listeners/events/index.ts"), "utf8");
  const usesAssistant = code.includes("new Assistant(");

  it("asks for exactly the bot scopes the code's Web API calls and event listeners need", () => {
    const methods = new Set([
      ...[...code.matchAll(/client\.([a-z]+)\.([a-zA-Z0-9]+)\(/g)].map((m) => `${m[1]}.${m[2]}`),
      ...Object.entries(UTILITY_METHODS).flatMap(([utility, method]) =>
        new RegExp(`\\b${utility}\\(`).test(code) ? [method] : [],
      ),
    ]);
    // One listener per event type: app.event("type", handler(deps)).
    const events = new Set([
      ...[...eventsIndex.matchAll(/app\.event\("([a-z_]+)", [a-zA-Z]+\(deps\)\)/g)].map(
        (m) => m[1] as string,
      ),
      ...(usesAssistant ? ["assistant_thread_started", "message"] : []),
    ]);
    expect(events).toContain("app_mention");
    expect(methods.size).toBeGreaterThan(5);
    const unknown = [...methods].filter((m) => !(m in METHOD_SCOPES));
    expect(unknown, "methods called without a known scope: add them to METHOD_SCOPES").toEqual([]);
    const subscriptions = [...events].flatMap((e) => Object.entries(EVENT_SUBSCRIPTIONS[e] ?? {}));
    const needed = new Set([
      "commands",
      ...[...methods].flatMap((m) => METHOD_SCOPES[m] ?? []),
      ...subscriptions.flatMap(([, scopes]) => scopes),
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      subscriptions.map(([name]) => name).sort(),
    );
  });

  it("opens DMs and the assistant split view to questions when the code answers them", () => {
    expect(usesAssistant).toBe(true);
    expect(manifest.features.assistant_view?.assistant_description).toMatch(/question/);
    // message.im is subscribed: a read-only Messages tab would let nobody ask.
    expect(manifest.settings.event_subscriptions.bot_events).toContain("message.im");
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifest.features.slash_commands[0]?.usage_hint).toContain("ask <question>");
  });

  it("declares the slash command, App Home and bot user the app relies on", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(["/threatmodel"]);
    expect(code).toContain('COMMAND = "/threatmodel"');
    expect(manifest.display_information.name).toBe("Threatbot");
  });
});
