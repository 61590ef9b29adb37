/** Sends one text message. Implementations: LogSmsSender (development, tests), HttpSmsSender. */
export interface SmsSender {
  send(message: { phone: string; purpose: string; body: string }): Promise<void>;
}

export const SMS_SENDER = Symbol('SMS_SENDER');

/** The message could not be handed to the gateway. */
export class SmsDeliveryError extends Error {
  constructor(reason: string) {
    super(`SMS gateway refused or failed: ${reason}`);
    this.name = 'SmsDeliveryError';
  }
}
