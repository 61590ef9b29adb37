import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/**
 * OpenAPI description of the findings list's filter and `lang` as a query string (the classes
 * are GraphQL inputs, which the OpenAPI generator does not read).
 */
export const ApiFindingFilterQuery = (opts: { site: boolean }) =>
  applyDecorators(
    ApiQuery({ name: 'lang', required: false, enum: ['zh', 'en'], description: 'zh (default) or en' }),
    ...(opts.site
      ? [
          ApiQuery({ name: 'siteId', required: false, type: Number }),
          ApiQuery({ name: 'organizationId', required: false, type: Number, description: 'Administrators only' }),
        ]
      : []),
    ApiQuery({ name: 'taskId', required: false, type: Number }),
    ApiQuery({ name: 'levels', required: false, description: 'Comma-separated: CRITICAL,HIGH,MEDIUM,LOW,INFO' }),
    ApiQuery({ name: 'statuses', required: false, description: 'Comma-separated: OPEN,FIXED,IGNORED,FALSE_POSITIVE' }),
    ApiQuery({ name: 'kind', required: false, description: "The library entry's kind" }),
    ApiQuery({ name: 'name', required: false, description: "Part of the library entry's name" }),
    ApiQuery({ name: 'text', required: false, description: 'Part of the URL, parameter or name' }),
    ApiQuery({ name: 'seenFrom', required: false, description: 'Last seen at or after (ISO 8601)' }),
    ApiQuery({ name: 'seenTo', required: false, description: 'Last seen before (ISO 8601)' }),
    ApiQuery({ name: 'firstSeenFrom', required: false, description: 'First seen at or after (ISO 8601)' }),
    ApiQuery({ name: 'firstSeenTo', required: false, description: 'First seen before (ISO 8601)' }),
  );
