import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { normalizeEmail, normalizePhone, normalizeUsername, USERNAME_PATTERN } from '../normalize.js';

const str = (fn: (v: string) => string | null) => Transform(({ value }) => (typeof value === 'string' ? (fn(value) ?? value.trim()) : value));

/** Validation shared by every input that carries these fields. */
export const UsernameField = () =>
  applyDecorators(
    str(normalizeUsername),
    IsString(),
    MaxLength(32),
    Matches(USERNAME_PATTERN, { message: 'username must be 3-32 letters, digits or _.- and start with a letter' }),
  );

export const PasswordField = (name = 'password') =>
  applyDecorators(IsString(), MinLength(8, { message: `${name} must be at least 8 characters long` }), MaxLength(128));

export const PhoneField = () =>
  applyDecorators(
    str(normalizePhone),
    IsString(),
    MaxLength(20),
    Matches(/^(1[3-9]\d{9}|\+[1-9]\d{5,14})$/, { message: 'phone must be a mobile number (11 digits, or + and country code)' }),
  );

export const EmailField = () => applyDecorators(str(normalizeEmail), IsString(), MaxLength(254), IsEmail({}, { message: 'email must be an email address' }));

export const DisplayNameField = () => applyDecorators(str((v) => v.trim()), IsString(), MaxLength(100));
