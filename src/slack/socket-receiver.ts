import { type App, type Logger, type ReceiverEvent, SocketModeReceiver, type webApi } from "@slack/bolt";

/** What the Socket Mode client hands over for each envelope. */
interface Envelope {
  ack: (response?: unknown) => Promise<void>;
  body: Record<string, unknown> | undefined;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * Bolt's Socket Mode receiver, with one change: an Events API envelope is acknowledged after its
 * listeners finish instead of before they start (Bolt acknowledges events up front). A thread reply
 * that answers a question is then stored before Slack hears back, as over HTTP. Everything else is
 * acknowledged by its listener as usual; an envelope no listener acknowledged is answered at the end.
 */
export function deferredAckSocketReceiver(opts: {
  appToken: string;
  logger: Logger;
  clientOptions: webApi.WebClientOptions;
  app: () => App | undefined;
}): SocketModeReceiver {
  const receiver = new SocketModeReceiver({
    appToken: opts.appToken,
    logger: opts.logger,
    // apps.connections.open goes to the same Web API as everything else (GovSlack, a test server).
    installerOptions: { clientOptions: opts.clientOptions },
  });
  receiver.client.removeAllListeners("slack_event");
  receiver.client.on("slack_event", async (envelope: Envelope) => {
    const body = envelope.body ?? {};
    const isEvent = body.type === "event_callback";
    let acked = false;
    let response: unknown;
    const event: ReceiverEvent = {
      body,
      ack: async (r?: unknown) => {
        if (acked) return;
        acked = true;
        response = r;
        if (!isEvent) await envelope.ack(r);
      },
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
    };
    try {
      await opts.app()?.processEvent(event);
    } catch (e) {
      opts.logger.error("a listener failed", e);
    }
    if (isEvent || !acked) {
      try {
        await envelope.ack(acked ? response : undefined);
      } catch (e) {
        opts.logger.warn("could not acknowledge a Socket Mode envelope", e);
      }
    }
  });
  return receiver;
}
