// Command-line flags of the bench scripts: `--name value` pairs and bare `--switch`es.

/** The flags of `argv` (process.argv.slice(2)): flag(name, fallback) is the value after --name, has(name) whether --name is there. */
export function readFlags(argv) {
  return {
    flag: (name, fallback) => {
      const i = argv.indexOf(`--${name}`);
      return i >= 0 ? argv[i + 1] : fallback;
    },
    has: (name) => argv.includes(`--${name}`),
  };
}
