/** One Sender over a sender per channel: email to SES, SMS to SNS. */

import type { OutgoingMessage, Sender } from '../domain/ports.ts';
import type { Channel } from '../domain/preferences.ts';

export class ChannelSender implements Sender {
  constructor(private readonly byChannel: Record<Channel, Sender>) {}

  send(message: OutgoingMessage): Promise<void> {
    return this.byChannel[message.channel].send(message);
  }
}
