// class-transformer has no exports map: its decorators' metadata lives in the CommonJS build.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
