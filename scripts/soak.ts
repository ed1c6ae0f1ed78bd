/** `npm run soak`: see scripts/bench/soak.ts. */
throw new Error('The soak is not built yet.');
