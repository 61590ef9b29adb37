// Jest's module loader (on Node < 24.9) cannot require() an ES module, and content-disposition 3
// is one (@fastify/static requires it; Bull Board loads @fastify/static). Node itself loads it
// fine. For the tests, its own code is loaded here as CommonJS: its top-level `export function`s
// become properties of module.exports; nothing else about it changes.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '../../node_modules/content-disposition/dist/index.js');
const names = [];
const source = fs.readFileSync(file, 'utf8').replace(/^export function (\w+)/gm, (_m, name) => (names.push(name), `function ${name}`));
if (/^export\s/m.test(source)) throw new Error(`${file}: an export this loader does not handle`);
new Function('exports', `${source}\n${names.map((n) => `exports.${n} = ${n};`).join('\n')}`)(module.exports);
