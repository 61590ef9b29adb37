import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { CaptchaService } from './captcha/captcha.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { HttpSmsSender } from './sms/http-sms.sender.js';
import { LogSmsSender } from './sms/log-sms.sender.js';
import { SMS_SENDER } from './sms/sms-sender.js';
import { SmsCodeService } from './sms/sms-code.service.js';
import { SsoService } from './sso.service.js';

/** Sign-up, sign-in, refresh and sign-out, captcha, SMS codes and partner SSO (the building blocks are in common/auth). */
@Module({
  providers: [
    AuthResolver,
    AuthService,
    CaptchaService,
    LoginThrottleService,
    SmsCodeService,
    SsoService,
    LogSmsSender,
    HttpSmsSender,
    {
      provide: SMS_SENDER,
      inject: [AppConfig, LogSmsSender, HttpSmsSender],
      useFactory: (config: AppConfig, log: LogSmsSender, http: HttpSmsSender) => {
        if (config.get('SMS_SENDER') === 'http') return http;
        if (config.isProduction) new Logger('Sms').warn('SMS_SENDER=log in production: SMS codes are written to the log, not sent');
        return log;
      },
    },
  ],
  exports: [CaptchaService],
})
export class AuthModule {}
