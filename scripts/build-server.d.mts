/** The types of build-server.mjs (plain JavaScript: bin/switchboard.js runs it with node alone). */

/** The bundle of the checkout at `root` if no source it was built from changed since; else null. */
export declare function currentServerBundle(root?: string): string | null

/** Bundles `root`'s server into dist/server/switchboard.mjs; resolves with its path. */
export declare function buildServer(root?: string): Promise<string>
