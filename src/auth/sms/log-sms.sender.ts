import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service.js';
import type { SmsSender } from './sms-sender.js';

/** Development/test sender: the message goes to the log and to the SmsOutbox table. */
@Injectable()
export class LogSmsSender implements SmsSender {
  private readonly logger = new Logger('Sms');

  constructor(private readonly prisma: PrismaService) {}

  async send(message: { phone: string; purpose: string; body: string }): Promise<void> {
    await this.prisma.smsOutbox.create({ data: message });
    this.logger.log(`SMS to ${message.phone} (${message.purpose}): ${message.body}`);
  }
}
