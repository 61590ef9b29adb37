import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SmsDeliveryError, type SmsSender } from './sms-sender.js';

const TIMEOUT_MS = 10_000;

/** Posts `{"phone","message"}` as JSON to SMS_GATEWAY_URL, authenticated by the X-Api-Key header. */
@Injectable()
export class HttpSmsSender implements SmsSender {
  constructor(private readonly config: AppConfig) {}

  async send(message: { phone: string; purpose: string; body: string }): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.config.get('SMS_GATEWAY_URL')!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.config.get('SMS_GATEWAY_KEY')! },
        body: JSON.stringify({ phone: message.phone, message: message.body }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new SmsDeliveryError(e instanceof Error ? e.message : String(e));
    }
    await res.body?.cancel();
    if (!res.ok) throw new SmsDeliveryError(`HTTP ${res.status}`);
  }
}
