namespace ContextBench;

/// <summary>Specs about Node.js internals, written as a user would (the files they name exist in Node 18's tree).</summary>
internal static class BenchSpecs
{
    public static readonly (string Name, string Text)[] All =
    [
        ("http-max-header-size", """
            # Validate `--max-http-header-size` in the HTTP server

            The HTTP server in `lib/_http_server.js` accepts a `maxHeaderSize` option in `createServer()` and falls back
            to the `--max-http-header-size` command-line flag. Invalid values (negative, not an integer, larger than
            the parser supports) are silently accepted today.

            ## Requirements
            - `Server` MUST validate `options.maxHeaderSize` with `validateInteger` and throw `ERR_OUT_OF_RANGE`
              for negative values.
            - The parser setup in `parsersCache`/`HTTPParser` initialisation MUST use the validated value.
            - A test under `test/parallel/` MUST cover `http.createServer({ maxHeaderSize: -1 })`.
            """),
        ("fs-open-flags", """
            # Faster `fs.open` flag parsing

            `stringToFlags` in `lib/internal/fs/utils.js` is called on every `fs.open()` and `fs.promises.open()`.
            The C++ binding in `src/node_file.cc` (`Open`, `OpenFileHandle`) re-validates the flags.

            ## Requirements
            - Cache the result of `stringToFlags` for the common string flags (`r`, `w`, `a`, `r+`).
            - `FSReqCallback` and `FileHandle` MUST keep their current behaviour.
            - Keep `uv_fs_open` error mapping (`UVException`) unchanged.
            """),
        ("worker-resource-limits", """
            # Worker threads: report resource limit violations

            When a worker created with `new Worker(file, { resourceLimits })` exceeds `maxOldGenerationSizeMb`, the
            main thread only sees a generic `ERR_WORKER_OUT_OF_MEMORY`. Users want the limit that was hit.

            ## Requirements
            - The `Worker` class (lib/internal/worker.js) MUST include the exceeded limit in the error message.
            - `Worker::NearHeapLimit` in the C++ worker (src/node_worker.cc) MUST record which limit was reached.
            - `resourceLimits` on the worker object MUST stay readable after exit.
            """),
    ];
}
