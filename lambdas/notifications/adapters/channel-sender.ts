/** One Sender over a sender per channel: email to SES, SMS to SNS. */
import type { Channel } from '../domain/preferences.ts';
import type { OutgoingMessage, Sender } from '../domain/ports.ts';

export class ChannelSender implements Sender {
  constructor(private readonly byChannel: Record<Channel, Sender>) {}

  send(message: OutgoingMessage): Promise<void> {
    return this.byChannel[message.channel].send(message);
  }
}
