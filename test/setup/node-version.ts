/**
 * The tests run on Node 24 LTS or later (package.json `engines`; the pinned `node` dev dependency
 * puts its binary first on the PATH of every npm script). An older Node fails the run at once,
 * so CI cannot pass on a Node the gateway does not support; the version is printed for the log.
 */
export const MIN_NODE_MAJOR = 24;

export default function checkNodeVersion(): void {
  const major = Number(process.versions.node.split(".")[0]);
  process.stdout.write(`Tests run on Node ${process.version} (${process.execPath})\n`);
  if (!(major >= MIN_NODE_MAJOR))
    throw new Error(
      `Node ${process.version} is older than ${MIN_NODE_MAJOR}: run the tests with npm test (the pinned node dev dependency) or on Node ${MIN_NODE_MAJOR} LTS.`,
    );
}
