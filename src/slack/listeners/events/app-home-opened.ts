import { z } from "zod";
import { HOME_LIMIT, homeView } from "../../blocks/home.js";
import type { SlackDeps } from "../../deps.js";
import { reviewRows } from "../../review-flow.js";
import type { EventArgs } from "./message-event.js";

const HomeOpened = z.object({
  team_id: z.string().min(1),
  event: z.object({ user: z.string().min(1), tab: z.string().optional() }),
});

/** The Home tab is drawn fresh each time it is opened: the workspace's recent reviews. */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ body, client }: EventArgs): Promise<void> => {
    const parsed = HomeOpened.safeParse(body);
    if (!parsed.success || parsed.data.event.tab === "messages") return;
    const { team_id: teamId, event } = parsed.data;
    // After the ack like every Web API call: the event's response must not wait on Slack.
    deps.work.run(`home:${event.user}`, async () => {
      try {
        await client.views.publish({
          user_id: event.user,
          view: homeView(reviewRows(deps, { teamId }, HOME_LIMIT)),
        });
      } catch (e) {
        deps.log.error({ err: e }, "could not publish the Home tab");
      }
    });
  };
}
