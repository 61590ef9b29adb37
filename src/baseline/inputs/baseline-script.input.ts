import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsEnum, Matches, ValidateNested } from 'class-validator';
import { OptionalTextField, TextField } from '../../common/validation/fields.js';
import { VulnLevel } from '../../vulns/models/vuln-enums.js';

@InputType()
export class BaselineCheckInput {
  @Field({ description: 'Unique within the script: 1-200 printable characters without spaces' })
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'checkId is 1-200 printable characters without spaces' })
  checkId: string;
  @TextField(500) title: string;
  @Field(() => VulnLevel) @IsEnum(VulnLevel) level: VulnLevel;
  @OptionalTextField(2000, { description: 'The value a hardened system shows' }) expected?: string | null;
  @OptionalTextField(4000) rationale?: string | null;
  @OptionalTextField(4000) remediation?: string | null;
}

@InputType()
export class BaselineScriptInput {
  @TextField(200) name: string;
  @TextField(100, { description: 'What it hardens: an OS or a piece of software ("linux", "nginx")' }) target: string;
  @OptionalTextField(50, { description: 'Version of the target the guide is written for' }) targetVersion?: string | null;
  @OptionalTextField(4000) description?: string | null;
  @Field(() => [BaselineCheckInput], { description: 'Check items, 1-1000, in order' })
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => BaselineCheckInput)
  checks: BaselineCheckInput[];
}
