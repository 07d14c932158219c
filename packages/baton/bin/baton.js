#!/usr/bin/env node
// Stable entry point for `baton` and `kubectl baton` (as kubectl-baton): the compiled CLI.
import '../dist/cli/bin.js';
