#!/usr/bin/env node
// The `botwire` command. A committed file rather than dist/main.js itself, so that `npm ci` can
// link it (npm links a bin only if its file exists) before `npm run build` creates dist.
import '../dist/main.js';
